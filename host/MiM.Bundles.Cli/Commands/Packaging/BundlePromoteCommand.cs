using System.CommandLine;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>
/// `mim bundle promote ID VERSION --bundles DIR`: makes VERSION the serving version of ID: pins it in
/// &lt;bundles&gt;/control.json and clears its shadow. A running host switches on its next scan (a shadow candidate is
/// already warm and switches at once); jobs running on the old version finish on it.
/// </summary>
internal static class BundlePromoteCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "The bundle id." };
        var version = new Argument<string>("VERSION") { Description = "The installed version (exact) to serve, usually the shadow candidate." };
        var bundles = new Option<DirectoryInfo?>("--bundles") { Description = "The bundles folder (default: $MIM_BUNDLE_DIR or ~/.mim/bundles)." };
        var config = new Option<FileInfo?>("--config") { Description = "The host's appsettings.json, for its configured pins." };
        var command = new Command(
            "promote",
            "Make a version (usually the shadow candidate) the serving one: a durable runtime pin to it in <bundles>/control.json, "
            + "with its shadow cleared. A running host switches without failing a job; `mim bundle rollback` goes back.");
        command.Arguments.Add(id);
        command.Arguments.Add(version);
        command.Options.Add(bundles);
        command.Options.Add(config);
        command.SetAction(parse => PackagingExitCodes.Run(() =>
        {
            var bundleId = parse.GetValue(id)!;
            var site = SiteBundles.Read(parse.GetValue(bundles), parse.GetValue(config));
            var from = site.Candidates.GetValueOrDefault(bundleId)?.Version;
            var by = $"cli:{Environment.UserName}";
            var after = site.ControlFile.Update(control => ShadowDecision.Promote(control, bundleId, parse.GetValue(version)!, site.Installed, by, DateTimeOffset.UtcNow, $"promoted from {from?.ToString() ?? "none"}"));
            Console.WriteLine($"promoted {bundleId} to {after.Pins[bundleId].Range} (was {from?.ToString() ?? "none"}) in {site.ControlFile.Path}; a running host switches with no job failed");
            return 0;
        }));
        return command;
    }
}
