using System.CommandLine;
using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Repository;
using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>`mim repo refresh --repo DIR --key KEY --valid-days N`: re-sign index.json with a new expiry (run from cron).</summary>
internal static class RepoRefreshCommand
{
    public static Command Create()
    {
        var repo = new Option<DirectoryInfo>("--repo") { Description = "The repository folder.", Required = true };
        var keyPath = new Option<FileInfo>("--key") { Description = "The .key that signs index.json.", Required = true };
        var validDays = RepoIndexValidity.Option();
        var command = new Command("refresh", "Re-sign a repository's index.json unchanged but for a higher sequence and a new expiry (--valid-days).");
        command.Options.Add(repo);
        command.Options.Add(keyPath);
        command.Options.Add(validDays);
        command.SetAction(parse => PackagingExitCodes.Run(() =>
        {
            using var key = PublisherSigningKey.Load(parse.GetValue(keyPath)!.FullName);
            using var trust = TrustStore.Of(PublisherKey.Parse(key.PublicKey.ToPem(), "--key"));
            var index = new RepositoryPublisher(parse.GetValue(repo)!.FullName, key, trust, indexValidity: RepoIndexValidity.From(parse.GetValue(validDays))).Refresh();
            Console.WriteLine($"re-signed index sequence {index.Sequence}, {(index.Expires is { } expires ? $"expires {expires:yyyy-MM-dd HH:mm} UTC" : "never expires")}");
            return 0;
        }));
        return command;
    }
}
