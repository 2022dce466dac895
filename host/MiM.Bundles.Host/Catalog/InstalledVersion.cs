using System.Text.Json;
using MiM.Bundles.Contracts.Bundles;
using Semver;

namespace MiM.Bundles.Host.Catalog;

/// <summary>A bundle version found on disk, read without loading anything (for `mim bundle list` and rollback targets).</summary>
/// <param name="Folder">Its folder.</param>
/// <param name="Id">The bundle id from its metadata.</param>
/// <param name="Version">The version from its metadata.</param>
/// <param name="Signer">The key id of the signature it was installed with, or null for a folder not installed from an archive.</param>
public sealed record InstalledVersion(string Folder, string Id, SemVersion Version, string? Signer)
{
    /// <summary>Every complete bundle folder in <paramref name="directory"/> with a readable id and version, by id then newest first.</summary>
    public static IReadOnlyList<InstalledVersion> Scan(string directory)
    {
        var found = new List<InstalledVersion>();
        foreach (var folder in BundleFolders.Enumerate(directory).Where(CompletionMarker.IsComplete))
        {
            var ignored = new List<BundleProblem>();
            if (MetadataReader.Read(folder, ignored) is { Id: { } id, Version: { } text }
                && SemVersion.TryParse(text, SemVersionStyles.Strict, out var version))
            {
                found.Add(new InstalledVersion(folder, id, version, SignerOf(folder)));
            }
        }

        return [.. found.OrderBy(v => v.Id, StringComparer.Ordinal).ThenByDescending(v => v.Version, SemVersion.SortOrderComparer)];
    }

    /// <summary>
    /// The version of each id that would serve under <paramref name="pins"/> and <paramref name="control"/> when every
    /// version warms up: the newest allowed, not refused and not in shadow, of an id not unloaded. What a running host serves can differ
    /// when a warm-up failed.
    /// </summary>
    public static IReadOnlyDictionary<string, InstalledVersion> ServingCandidates(IEnumerable<InstalledVersion> installed, BundlePins pins, SiteControl control)
    {
        ArgumentNullException.ThrowIfNull(pins);
        ArgumentNullException.ThrowIfNull(control);
        return installed
            .Where(v => !control.Unloaded.ContainsKey(v.Id) && !control.IsRefused(v.Id, v.Version.ToString()) && pins.Allows(v.Id, v.Version) && !control.IsShadow(v.Id, v.Version))
            .GroupBy(v => v.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(v => v.Version, SemVersion.SortOrderComparer).First(), StringComparer.Ordinal);
    }

    private static string? SignerOf(string folder)
    {
        var signature = Path.Combine(folder, ".mimb", "manifest.sig");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(signature));
            return document.RootElement.TryGetProperty("key_id", out var keyId) ? keyId.GetString() : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null; // not installed from an archive (or unreadable: verification on load names the fault)
        }
    }
}
