using System.CommandLine;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>
/// `mim bundle rollback ID [--to VERSION] --bundles DIR`: pins ID to VERSION, or to the newest installed version older
/// than the one that serves, in &lt;bundles&gt;/control.json. A running host picks the pin up on its next scan (the
/// file's rename wakes its watcher), warms that version up and switches; the pin survives restarts until removed.
/// </summary>
internal static class BundleRollbackCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "The bundle id." };
        var to = new Option<string?>("--to") { Description = "The version to go back to (default: the newest installed one older than the serving candidate)." };
        var bundles = new Option<DirectoryInfo?>("--bundles") { Description = "The bundles folder (default: $MIM_BUNDLE_DIR or ~/.mim/bundles)." };
        var config = new Option<FileInfo?>("--config") { Description = "The host's appsettings.json, for its configured pins." };
        var command = new Command(
            "rollback",
            "Pin a bundle to an older installed version (a durable runtime pin in <bundles>/control.json, which overrides a configured pin). "
            + "A running host switches to it after warm-up; `mim bundle list` shows it.");
        command.Arguments.Add(id);
        command.Options.Add(to);
        command.Options.Add(bundles);
        command.Options.Add(config);
        command.SetAction(parse => PackagingExitCodes.Run(() =>
        {
            var site = SiteBundles.Read(parse.GetValue(bundles), parse.GetValue(config));
            var bundleId = parse.GetValue(id)!;
            var from = site.Candidates.GetValueOrDefault(bundleId)?.Version;
            var target = RollbackTarget.Choose(bundleId, parse.GetValue(to), from, site.Installed, site.Control);
            var by = $"cli:{Environment.UserName}";
            site.ControlFile.Update(control => control with
            {
                Pins = new Dictionary<string, OperatorPin>(control.Pins, StringComparer.Ordinal)
                {
                    [bundleId] = new OperatorPin(target.ToString(), by, DateTimeOffset.UtcNow, $"rollback from {from?.ToString() ?? "none"}"),
                },
            });
            Console.WriteLine($"pinned {bundleId} to {target} (was {from?.ToString() ?? "none"}) in {site.ControlFile.Path}; a running host switches after warm-up");
            return 0;
        }));
        return command;
    }
}
