using System.CommandLine;
using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Repository;
using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>`mim repo publish FILE.mimb --repo DIR --key KEY [--channel stable|candidate]`: add an archive and re-sign index.json.</summary>
internal static class RepoPublishCommand
{
    public static Command Create()
    {
        var archive = new Argument<FileInfo>("FILE") { Description = "The signed .mimb archive." };
        var repo = new Option<DirectoryInfo>("--repo") { Description = "The repository folder (created if absent).", Required = true };
        var keyPath = new Option<FileInfo>("--key") { Description = "The .key that signs index.json.", Required = true };
        var channel = new Option<ReleaseChannel>("--channel") { Description = "stable or candidate; republish with stable to promote.", DefaultValueFactory = _ => ReleaseChannel.Stable };
        var validDays = RepoIndexValidity.Option();
        var trustPath = new Option<string?>("--trust") { Description = "Trust store for the archive's signer (default: the archive must be signed by --key)." };
        var command = new Command("publish", "Copy a verified archive into a repository as <id>-<version>.mimb and update its signed index.json.");
        command.Arguments.Add(archive);
        command.Options.Add(repo);
        command.Options.Add(keyPath);
        command.Options.Add(channel);
        command.Options.Add(trustPath);
        command.Options.Add(validDays);
        command.SetAction(parse => PackagingExitCodes.Run(() =>
        {
            using var key = PublisherSigningKey.Load(parse.GetValue(keyPath)!.FullName);
            using var trust = parse.GetValue(trustPath) is { } path ? TrustStore.Load(path) : TrustStore.Of(PublisherKey.Parse(key.PublicKey.ToPem(), "--key"));
            var index = new RepositoryPublisher(parse.GetValue(repo)!.FullName, key, trust, indexValidity: RepoIndexValidity.From(parse.GetValue(validDays))).Publish(parse.GetValue(archive)!.FullName, parse.GetValue(channel));
            Console.WriteLine($"published into {parse.GetValue(repo)!.FullName} on {parse.GetValue(channel).ToString().ToLowerInvariant()}: "
                + $"index sequence {index.Sequence}, {index.Releases.Count} release(s), signed by {key.KeyId}");
            return 0;
        }));
        return command;
    }
}
