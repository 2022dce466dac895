using System.CommandLine;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>
/// `mim bundle shadow ID VERSION --bundles DIR` (or `--clear`): names an installed candidate version as the shadow of ID
/// in &lt;bundles&gt;/control.json. A running host picks it up on its next scan, warms it up beside the serving version
/// and runs every series of ID on both; the candidate's results stay on the host and each of its jobs records its
/// agreement with the serving job.
/// </summary>
internal static class BundleShadowCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "The bundle id." };
        var version = new Argument<string?>("VERSION") { Description = "The installed candidate version (exact) to run in shadow.", Arity = ArgumentArity.ZeroOrOne };
        var clear = new Option<bool>("--clear") { Description = "Stop the shadow of ID instead (the candidate unloads; it never served)." };
        var bundles = new Option<DirectoryInfo?>("--bundles") { Description = "The bundles folder (default: $MIM_BUNDLE_DIR or ~/.mim/bundles)." };
        var config = new Option<FileInfo?>("--config") { Description = "The host's appsettings.json, for its configured pins." };
        var command = new Command(
            "shadow",
            "Run an installed candidate version in shadow beside the serving one (a durable entry in <bundles>/control.json). "
            + "It receives the same series, its results are never sent, and each of its jobs records its agreement with the serving job "
            + "(GET /api/jobs/{id}, mim_shadow_agreement at /metrics). Promote it with `mim bundle promote ID VERSION`.");
        command.Arguments.Add(id);
        command.Arguments.Add(version);
        command.Options.Add(clear);
        command.Options.Add(bundles);
        command.Options.Add(config);
        command.SetAction(parse => PackagingExitCodes.Run(() =>
        {
            var bundleId = parse.GetValue(id)!;
            var candidate = parse.GetValue(version);
            if (candidate is null == !parse.GetValue(clear))
            {
                throw new ArgumentException("give either VERSION (the candidate to run in shadow) or --clear, not both or neither");
            }

            var site = SiteBundles.Read(parse.GetValue(bundles), parse.GetValue(config));
            // Offline, what serves is the newest allowed version: the candidate itself once it is the shadow is not it.
            var others = site.Installed.Where(v => v.Id != bundleId || v.Version.ToString() != candidate);
            var serving = InstalledVersion.ServingCandidates(others, site.Pins, site.Control).GetValueOrDefault(bundleId)?.Version;
            var by = $"cli:{Environment.UserName}";
            site.ControlFile.Update(control => ShadowDecision.Shadow(control, bundleId, candidate, serving, site.Installed, by, DateTimeOffset.UtcNow));
            Console.WriteLine(candidate is null
                ? $"cleared the shadow of {bundleId} in {site.ControlFile.Path}"
                : $"{bundleId} {candidate} runs in shadow beside {serving?.ToString() ?? "the serving version"} (entry in {site.ControlFile.Path}); its results stay on the host");
            return 0;
        }));
        return command;
    }
}
