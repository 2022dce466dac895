using System.CommandLine;
using MiM.Bundles.Cli.Configuration;
using MiM.Bundles.Packaging.Installation;
using MiM.Bundles.Packaging.Repository;
using MiM.Bundles.Packaging.Trust;
using Semver;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>
/// `mim repo sync URL --bundles DIR --trust PUB|DIR --bundle ID[@RANGE|=VERSION]…`: one poll of a repository, installing
/// what each policy picks (what a host's subscription does on a timer).
/// </summary>
internal static class RepoSyncCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("URL") { Description = "The repository's base URL, e.g. http://127.0.0.1:8080/." };
        var bundles = new Option<DirectoryInfo?>("--bundles") { Description = $"The bundles folder (default: ${MimPaths.BundleDirectoryVariable})." };
        var trustPath = new Option<string>("--trust") { Description = "A .pub file or trust-store folder; it must trust the index's key too.", Required = true };
        var specs = new Option<string[]>("--bundle")
        {
            Description = "ID (newest), ID@RANGE (npm style, e.g. abdomen-ct-seg@^1.0) or ID=VERSION (pinned); repeatable.",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var channel = new Option<ReleaseChannel>("--channel") { Description = "stable, or candidate to take candidates too.", DefaultValueFactory = _ => ReleaseChannel.Stable };
        var tlsTrust = new Option<FileInfo?>("--tls-trust") { Description = "PEM certificates to trust for an https repository besides the system's (a site CA, or the repository's self-signed certificate)." };
        var command = new Command("sync", "Poll a repository once and install, for each --bundle, the release its policy picks (verified like `bundle install`).");
        command.Arguments.Add(url);
        command.Options.Add(bundles);
        command.Options.Add(trustPath);
        command.Options.Add(specs);
        command.Options.Add(channel);
        command.Options.Add(tlsTrust);
        command.SetAction((parse, cancellation) => PackagingExitCodes.RunAsync(async () =>
        {
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var repository) || repository.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"'{parse.GetValue(url)}' is not an http(s) URL");
            }

            using var trust = TrustStore.Load(parse.GetValue(trustPath)!);
            var folder = parse.GetValue(bundles)?.FullName ?? MimPaths.Resolve(Environment.GetEnvironmentVariable).BundleDirectory;
            var policies = parse.GetValue(specs)!.Select(spec => Policy(spec, parse.GetValue(channel))).ToList();
            using var http = RepositoryHttpClient.Create(parse.GetValue(tlsTrust)?.FullName, TimeSpan.FromMinutes(30));
            var client = new RepositoryClient(http, repository, trust);
            var outcomes = await client.SyncAsync(policies, new BundleInstaller(folder, trust), cancellation).ConfigureAwait(false);
            foreach (var outcome in outcomes)
            {
                Console.WriteLine(outcome.Version is null
                    ? $"{outcome.Id}: no release fits"
                    : $"{outcome.Id} {outcome.Version}: {(outcome.Installed ? "installed" : "already installed")} at {outcome.Directory}");
            }

            return outcomes.Any(o => o.Version is null) ? 4 : 0;
        }));
        return command;
    }

    private static BundlePolicy Policy(string spec, ReleaseChannel channel)
    {
        var pin = spec.IndexOf('=', StringComparison.Ordinal);
        if (pin > 0)
        {
            return new BundlePolicy(spec[..pin], channel) { Pinned = SemVersion.Parse(spec[(pin + 1)..], SemVersionStyles.Strict) };
        }

        var at = spec.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? new BundlePolicy(spec[..at], channel, spec[(at + 1)..]) : new BundlePolicy(spec, channel);
    }
}
