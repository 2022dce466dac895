using System.Text.Json;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Running;

namespace MiM.Bundles.Host.Configuration;

/// <summary>
/// The bundle host's settings from the "Mim" section of configs/appsettings.json:
/// <c>"BundleDirectory"</c> and <c>"Bundles": {"Pins": {"phantom-liver": "1.2.0", "mim-encoder": "^1.0"},
/// "RescanSeconds": 30, "QueueCapacity": 16, "JobTimeoutSeconds": 600, "Trust": "/etc/mim/trust", "RequireSigned": false}</c>;
/// every field optional. With "Trust" (a .pub file or trust-store folder) every bundle installed from a signed archive
/// is verified again before it loads; with "RequireSigned" too, folders not installed from one are refused.
/// </summary>
/// <param name="Catalog">Directory, pins and rescan interval.</param>
/// <param name="Workers">Queue capacity and per-job timeout.</param>
public sealed record BundleHostSettings(BundleCatalogOptions Catalog, BundleWorkerOptions Workers)
{
    /// <summary>Reads the settings from the "Mim" section; <paramref name="defaultDirectory"/> applies when BundleDirectory is empty.</summary>
    /// <exception cref="FormatException">A pin or number is malformed; the message names it.</exception>
    public static BundleHostSettings Read(JsonElement mim, string defaultDirectory)
    {
        var directory = mim.TryGetProperty("BundleDirectory", out var d) && d.GetString() is { Length: > 0 } configured ? configured : defaultDirectory;
        var bundles = mim.TryGetProperty("Bundles", out var b) && b.ValueKind == JsonValueKind.Object ? b : default;
        var pins = new Dictionary<string, string>(StringComparer.Ordinal);
        if (bundles.ValueKind == JsonValueKind.Object && bundles.TryGetProperty("Pins", out var p))
        {
            foreach (var pin in p.EnumerateObject())
            {
                pins[pin.Name] = pin.Value.GetString() ?? throw new FormatException($"Mim:Bundles:Pins:{pin.Name} must be a version or range string");
            }
        }

        var trust = bundles.ValueKind == JsonValueKind.Object && bundles.TryGetProperty("Trust", out var t) && t.GetString() is { Length: > 0 } trustPath
            ? Packaging.Trust.TrustStore.Load(trustPath)
            : null;
        var requireSigned = bundles.ValueKind == JsonValueKind.Object && bundles.TryGetProperty("RequireSigned", out var r) && r.ValueKind == JsonValueKind.True;
        if (requireSigned && trust is null)
        {
            throw new FormatException("Mim:Bundles:RequireSigned needs Mim:Bundles:Trust (the keys to check signatures with)");
        }

        var catalog = new BundleCatalogOptions
        {
            Directory = directory,
            Trust = trust,
            RequireSigned = requireSigned,
            Pins = new BundlePins(pins),
            RescanInterval = TimeSpan.FromSeconds(Number(bundles, "RescanSeconds", 30)),
        };
        var workers = new BundleWorkerOptions
        {
            QueueCapacity = (int)Number(bundles, "QueueCapacity", 16),
            JobTimeout = TimeSpan.FromSeconds(Number(bundles, "JobTimeoutSeconds", 600)),
        };
        return new BundleHostSettings(catalog, workers);
    }

    private static double Number(JsonElement section, string name, double fallback)
    {
        if (section.ValueKind != JsonValueKind.Object || !section.TryGetProperty(name, out var value))
        {
            return fallback;
        }

        return value.ValueKind == JsonValueKind.Number && value.GetDouble() > 0
            ? value.GetDouble()
            : throw new FormatException($"Mim:Bundles:{name} must be a positive number, is {value.GetRawText()}");
    }
}
