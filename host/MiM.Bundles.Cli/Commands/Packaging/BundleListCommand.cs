using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>
/// `mim bundle list --bundles DIR [--json] [--config appsettings.json]`: every installed version with what can be known
/// offline: the serving candidate of its id, its pin, shadow, refused or unloaded, and its signer.
/// </summary>
internal static class BundleListCommand
{
    public static Command Create()
    {
        var bundles = new Option<DirectoryInfo?>("--bundles") { Description = "The bundles folder (default: $MIM_BUNDLE_DIR or ~/.mim/bundles)." };
        var config = new Option<FileInfo?>("--config") { Description = "The host's appsettings.json, for its configured pins (runtime pins in <bundles>/control.json are always read)." };
        var json = new Option<bool>("--json") { Description = "One JSON document on stdout." };
        var command = new Command(
            "list",
            "List the installed bundle versions: which one each id would serve (the newest allowed by pins, not refused, not unloaded), "
            + "pins, refusals (warm-up failed after a subscription installed it) and signers. A running host's own view is in its API.");
        command.Options.Add(bundles);
        command.Options.Add(config);
        command.Options.Add(json);
        command.SetAction(parse => PackagingExitCodes.Run(() =>
        {
            var site = SiteBundles.Read(parse.GetValue(bundles), parse.GetValue(config));
            var rows = site.Installed.Select(v => Row(site, v)).ToList();
            if (parse.GetValue(json))
            {
                var document = new JsonObject { ["bundles"] = new JsonArray([.. rows]), ["pins"] = Pins(site) };
                Console.WriteLine(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }

            if (rows.Count == 0)
            {
                Console.WriteLine($"no bundles installed in {site.Directory}");
            }

            foreach (var row in rows)
            {
                Console.WriteLine(Line(row));
            }

            return 0;
        }));
        return command;
    }

    private static JsonObject Row(SiteBundles site, Host.Catalog.InstalledVersion version)
    {
        var candidate = site.Candidates.TryGetValue(version.Id, out var serving) && serving.Folder == version.Folder;
        var refusal = site.Control.RefusalOf(version.Id, version.Version.ToString());
        return new JsonObject
        {
            ["id"] = version.Id,
            ["version"] = version.Version.ToString(),
            ["serving_candidate"] = candidate,
            ["allowed_by_pin"] = site.Pins.Allows(version.Id, version.Version),
            ["pin"] = site.Pins.PinOf(version.Id),
            ["refused"] = refusal?.Reason,
            ["unloaded"] = site.Control.Unloaded.ContainsKey(version.Id),
            ["shadow"] = site.Control.IsShadow(version.Id, version.Version),
            ["signer"] = version.Signer,
            ["folder"] = version.Folder,
        };
    }

    private static JsonObject Pins(SiteBundles site)
    {
        var pins = new JsonObject();
        foreach (var (id, range) in site.Configured.All)
        {
            pins[id] = new JsonObject { ["range"] = range, ["source"] = "config" };
        }

        foreach (var (id, pin) in site.Control.Pins)
        {
            pins[id] = new JsonObject { ["range"] = pin.Range, ["source"] = "runtime", ["by"] = pin.By, ["at"] = pin.At.ToString("O"), ["reason"] = pin.Reason };
        }

        return pins;
    }

    private static string Line(JsonObject row)
    {
        var state = new List<string>();
        if (row["serving_candidate"]!.GetValue<bool>())
        {
            state.Add("serving candidate");
        }

        if (row["pin"] is { } pin)
        {
            state.Add(row["allowed_by_pin"]!.GetValue<bool>() ? $"pinned ({pin})" : $"held back by pin {pin}");
        }

        if (row["shadow"]!.GetValue<bool>())
        {
            state.Add("shadow candidate");
        }

        if (row["refused"] is { } refused)
        {
            state.Add($"refused: {refused}");
        }

        if (row["unloaded"]!.GetValue<bool>())
        {
            state.Add("unloaded");
        }

        var signer = row["signer"]?.GetValue<string>() is { } key ? $"signed by {key}" : "unsigned";
        return $"{row["id"],-28} {row["version"],-14} {signer,-24} {(state.Count == 0 ? "installed" : string.Join("; ", state))}";
    }
}
