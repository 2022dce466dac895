using System.CommandLine;
using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Installation;
using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>`mim bundle verify FILE.mimb --trust PUB|DIR`: exit 0 only when the archive is intact and trusted.</summary>
internal static class BundleVerifyCommand
{
    public static Command Create()
    {
        var archive = new Argument<FileInfo>("FILE") { Description = "The .mimb archive, or an installed bundle folder (<bundles>/<id>/<version>)." };
        var trustPath = new Option<string>("--trust") { Description = "A publisher .pub file, or a trust-store folder (.pub files and trust.json).", Required = true };
        var command = new Command(
            "verify",
            "Check that an archive (or an installed bundle folder) is intact and signed by a trusted key allowed for its id. "
            + "Exit 0 only then; 3 with the reason when refused.");
        command.Arguments.Add(archive);
        command.Options.Add(trustPath);
        command.SetAction(parse => PackagingExitCodes.Run(() =>
        {
            using var trust = TrustStore.Load(parse.GetValue(trustPath)!);
            var path = parse.GetValue(archive)!.FullName;
            // An installed bundle is <bundles>/<id>/<version>: the installer is rooted two levels up.
            var verified = Directory.Exists(path)
                ? new BundleInstaller(Path.GetDirectoryName(Path.GetDirectoryName(path))!, trust).VerifyInstalled(path).Archive
                : new ArchiveVerifier(trust).Verify(path);
            var manifest = verified.Manifest;
            Console.WriteLine($"OK {manifest.Id} {manifest.Version}: {manifest.Files.Count} files, {manifest.TotalBytes} bytes, signed by {verified.Publisher.Key.KeyId} "
                + $"(expires {verified.Publisher.Key.Document.Expires:yyyy-MM-dd})");
            return 0;
        }));
        return command;
    }
}
