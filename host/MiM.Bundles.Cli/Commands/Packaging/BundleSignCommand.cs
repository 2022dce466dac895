using System.CommandLine;
using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Keys;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>`mim bundle sign FILE.mimb --key KEY`: sign (or re-sign) an archive, after checking its files against its manifest.</summary>
internal static class BundleSignCommand
{
    public static Command Create()
    {
        var archive = new Argument<FileInfo>("FILE") { Description = "The .mimb archive." };
        var keyPath = new Option<FileInfo>("--key") { Description = "The publisher .key file.", Required = true };
        var command = new Command("sign", "Sign a .mimb with a publisher key (replacing any signature); refuses an archive whose files differ from its manifest.");
        command.Arguments.Add(archive);
        command.Options.Add(keyPath);
        command.SetAction(parse => PackagingExitCodes.Run(() =>
        {
            using var key = PublisherSigningKey.Load(parse.GetValue(keyPath)!.FullName);
            var manifest = ArchiveSigner.Sign(parse.GetValue(archive)!.FullName, key, DateTimeOffset.UtcNow);
            Console.WriteLine($"signed {manifest.Id} {manifest.Version} with {key.KeyId}");
            return 0;
        }));
        return command;
    }
}
