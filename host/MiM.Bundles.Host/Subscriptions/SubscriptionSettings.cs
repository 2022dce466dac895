using System.Text.Json;
using MiM.Bundles.Packaging.Repository;
using Semver;

namespace MiM.Bundles.Host.Subscriptions;

/// <summary>
/// The host's subscriptions, from the "Subscriptions" object of the "Mim" settings section:
/// <code>
/// "Subscriptions": { "PollSeconds": 300, "Repositories": [
///   { "Source": "https://repo.example/mim/", "Trust": "/etc/mim/trust",
///     "Bundles": [ { "Id": "abdomen-ct-seg", "Channel": "stable", "Range": "^1.0" },
///                  { "Id": "mim-encoder", "Version": "1.0.0" } ] } ] }
/// </code>
/// <c>Source</c> is an http(s) URL or a folder (a file share); <c>Trust</c> a .pub file or a trust-store folder.
/// A bundle follows the newest release of its channel within its range, or exactly <c>Version</c> when given.
/// </summary>
/// <param name="Repositories">The repositories followed.</param>
/// <param name="PollInterval">How often each repository's index is polled.</param>
public sealed record SubscriptionSettings(IReadOnlyList<RepositorySubscription> Repositories, TimeSpan PollInterval)
{
    /// <summary>No subscriptions.</summary>
    public static SubscriptionSettings None { get; } = new([], TimeSpan.FromMinutes(5));

    /// <summary>Reads the "Subscriptions" object of <paramref name="mim"/>; <see cref="None"/> when absent.</summary>
    /// <exception cref="FormatException">A field is missing or malformed; the message names it.</exception>
    public static SubscriptionSettings Read(JsonElement mim)
    {
        if (mim.ValueKind != JsonValueKind.Object || !mim.TryGetProperty("Subscriptions", out var section) || section.ValueKind == JsonValueKind.Null)
        {
            return None;
        }

        var seconds = section.TryGetProperty("PollSeconds", out var poll) ? poll.GetDouble() : 300;
        if (seconds <= 0)
        {
            throw new FormatException("Mim:Subscriptions:PollSeconds must be positive");
        }

        var repositories = new List<RepositorySubscription>();
        if (section.TryGetProperty(nameof(Repositories), out var list))
        {
            var i = 0;
            foreach (var repository in list.EnumerateArray())
            {
                repositories.Add(ReadRepository(repository, $"Mim:Subscriptions:Repositories:{i++}"));
            }
        }

        return new SubscriptionSettings(repositories, TimeSpan.FromSeconds(seconds));
    }

    private static RepositorySubscription ReadRepository(JsonElement element, string path)
    {
        var source = Text(element, "Source", path) ?? throw new FormatException($"{path}:Source is required (a URL or a folder)");
        var trust = Text(element, "Trust", path) ?? throw new FormatException($"{path}:Trust is required (a .pub file or a trust-store folder)");
        var policies = new List<BundlePolicy>();
        if (element.TryGetProperty("Bundles", out var bundles))
        {
            var i = 0;
            foreach (var bundle in bundles.EnumerateArray())
            {
                policies.Add(ReadPolicy(bundle, $"{path}:Bundles:{i++}"));
            }
        }

        var tlsTrust = Text(element, "TlsTrust", path);
        if (tlsTrust is not null && !File.Exists(tlsTrust))
        {
            throw new FormatException($"{path}:TlsTrust: '{tlsTrust}' does not exist (a PEM file of certificates to trust for https)");
        }

        return new RepositorySubscription(source, trust, policies) { TlsTrust = tlsTrust };
    }

    private static BundlePolicy ReadPolicy(JsonElement element, string path)
    {
        var id = Text(element, "Id", path) ?? throw new FormatException($"{path}:Id is required");
        var channel = Text(element, "Channel", path) switch
        {
            null or "stable" => ReleaseChannel.Stable,
            "candidate" => ReleaseChannel.Candidate,
            var other => throw new FormatException($"{path}:Channel is \"{other}\"; stable or candidate"),
        };
        var range = Text(element, "Range", path) ?? "*";
        if (!SemVersionRange.TryParseNpm(range, out _))
        {
            throw new FormatException($"{path}:Range \"{range}\" is not an npm-style range");
        }

        var version = Text(element, "Version", path);
        return new BundlePolicy(id, channel, range)
        {
            Pinned = version is null ? null
                : SemVersion.TryParse(version, SemVersionStyles.Strict, out var pinned) ? pinned : throw new FormatException($"{path}:Version \"{version}\" is not a semantic version"),
        };
    }

    private static string? Text(JsonElement element, string name, string path) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new FormatException($"{path}:{name} must be a string");
}

/// <summary>One repository the host follows.</summary>
/// <param name="Source">An http(s) URL of the repository folder, or a local folder (a file share).</param>
/// <param name="TrustPath">A .pub file or trust-store folder that the index and archives must verify against.</param>
/// <param name="Bundles">What to follow, per bundle id.</param>
public sealed record RepositorySubscription(string Source, string TrustPath, IReadOnlyList<BundlePolicy> Bundles)
{
    /// <summary>The repository as a URI: http(s) as given, a folder as a file URI ending in '/'.</summary>
    public Uri Address => Uri.TryCreate(Source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        ? uri
        : new Uri(Path.GetFullPath(Source).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar);

    /// <summary>True when the repository is a local folder.</summary>
    public bool IsFolder => Address.IsFile;

    /// <summary>PEM certificates trusted (besides the system's roots) for an https repository: a site's own CA, or a self-signed `mim repo serve`.</summary>
    public string? TlsTrust { get; init; }
}
