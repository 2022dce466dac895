using System.CommandLine;
using MiM.Bundles.Cli.Configuration;
using MiM.Bundles.Packaging.Installation;
using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>`mim bundle install FILE.mimb --bundles DIR --trust PUB|DIR`: verify, then install as DIR/ID/VERSION/.</summary>
internal static class BundleInstallCommand
{
    public static Command Create()
    {
        var archive = new Argument<FileInfo>("FILE") { Description = "The .mimb archive." };
        var bundles = new Option<DirectoryInfo?>("--bundles") { Description = $"The bundles folder (default: ${MimPaths.BundleDirectoryVariable} or the one `mim info` shows)." };
        var trustPath = new Option<string>("--trust") { Description = "A publisher .pub file, or a trust-store folder (.pub files and trust.json).", Required = true };
        var allowDowngrade = new Option<bool>("--allow-downgrade") { Description = "Install even when a newer version of the bundle is installed." };
        var command = new Command(
            "install",
            "Verify an archive and install it as <bundles>/<id>/<version>/ (atomically; nothing is written when a check fails). "
            + "Refuses a version older than one installed unless --allow-downgrade.");
        command.Arguments.Add(archive);
        command.Options.Add(bundles);
        command.Options.Add(trustPath);
        command.Options.Add(allowDowngrade);
        command.SetAction(parse => PackagingExitCodes.Run(() =>
        {
            using var trust = TrustStore.Load(parse.GetValue(trustPath)!);
            var folder = parse.GetValue(bundles)?.FullName ?? MimPaths.Resolve(Environment.GetEnvironmentVariable).BundleDirectory;
            var installer = new BundleInstaller(folder, trust);
            var installed = installer.Install(parse.GetValue(archive)!.FullName, new InstallPolicy { AllowDowngrade = parse.GetValue(allowDowngrade) });
            Console.WriteLine($"installed {installed.Id} {installed.Version} (signed by {installed.Archive.Publisher.Key.KeyId}) at {installed.Directory}");
            return 0;
        }));
        return command;
    }
}
