using System.CommandLine;
using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Keys;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>`mim bundle pack DIR --out FILE.mimb [--key KEY]`: a bundle folder into an archive, signed when a key is given.</summary>
internal static class BundlePackCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("DIR") { Description = "The bundle folder (with configs/metadata.json)." };
        var output = new Option<FileInfo>("--out") { Description = "The archive to write (.mimb).", Required = true };
        var keyPath = new Option<FileInfo?>("--key") { Description = "A publisher .key file to sign with; without it the archive is unsigned (sign it later)." };
        var command = new Command("pack", "Pack a bundle folder into a .mimb archive with a manifest of every file's size and SHA-256; signed with --key.");
        command.Arguments.Add(folder);
        command.Options.Add(output);
        command.Options.Add(keyPath);
        command.SetAction(parse => PackagingExitCodes.Run(() =>
        {
            using var key = parse.GetValue(keyPath) is { } path ? PublisherSigningKey.Load(path.FullName) : null;
            var target = parse.GetValue(output)!.FullName;
            var manifest = BundlePacker.Pack(parse.GetValue(folder)!.FullName, target, key, DateTimeOffset.UtcNow);
            Console.WriteLine($"packed {manifest.Id} {manifest.Version}: {manifest.Files.Count} files, {manifest.TotalBytes} bytes -> {target}"
                + (key is null ? " (unsigned)" : $" (signed by {key.KeyId})"));
            return 0;
        }));
        return command;
    }
}
