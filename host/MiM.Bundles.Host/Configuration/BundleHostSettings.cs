using System.Globalization;
using Microsoft.Extensions.Configuration;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Running;

namespace MiM.Bundles.Host.Configuration;

/// <summary>
/// The bundle host's settings from the "Mim" section of configs/appsettings.json:
/// <c>"BundleDirectory"</c> and <c>"Bundles": {"Pins": {"phantom-liver": "1.2.0", "mim-encoder": "^1.0"},
/// "RescanSeconds": 30, "QueueCapacity": 16, "JobTimeoutSeconds": 600, "Trust": "/etc/mim/trust", "RequireSigned": false}</c>;
/// every field optional. With "Trust" (a .pub file or trust-store folder) every bundle installed from a signed archive
/// is verified again before it loads; with "RequireSigned" too, folders not installed from one are refused. The one
/// reader of these settings: `mim serve` and the offline `mim bundle list`/`rollback` read them alike.
/// </summary>
/// <param name="Catalog">Directory, pins and rescan interval.</param>
/// <param name="Workers">Queue capacity and per-job timeout.</param>
public sealed record BundleHostSettings(BundleCatalogOptions Catalog, BundleWorkerOptions Workers)
{
    /// <summary>Reads the settings from the "Mim" section; <paramref name="defaultDirectory"/> applies when BundleDirectory is empty.</summary>
    /// <param name="mim">The "Mim" configuration section.</param>
    /// <param name="defaultDirectory">The bundle folder when none is configured (made absolute, as a configured one).</param>
    /// <exception cref="FormatException">A pin or number is malformed, or RequireSigned is set without Trust; the message names the setting.</exception>
    public static BundleHostSettings Read(IConfiguration mim, string defaultDirectory)
    {
        ArgumentNullException.ThrowIfNull(mim);
        var directory = mim["BundleDirectory"] is { Length: > 0 } configured ? configured : defaultDirectory;
        var pins = mim.GetSection("Bundles:Pins").GetChildren()
            .ToDictionary(c => c.Key, c => c.Value ?? throw new FormatException($"Mim:Bundles:Pins:{c.Key} must be a version or range string"), StringComparer.Ordinal);
        var trust = mim["Bundles:Trust"] is { Length: > 0 } trustPath ? Packaging.Trust.TrustStore.Load(trustPath) : null;
        var requireSigned = mim.GetValue("Bundles:RequireSigned", false);
        if (requireSigned && trust is null)
        {
            throw new FormatException("Mim:Bundles:RequireSigned needs Mim:Bundles:Trust (the keys to check signatures with)");
        }

        var catalog = new BundleCatalogOptions
        {
            Directory = Path.GetFullPath(directory),
            Trust = trust,
            RequireSigned = requireSigned,
            Pins = new BundlePins(pins),
            RescanInterval = TimeSpan.FromSeconds(Number(mim, "RescanSeconds", 30)),
        };
        var workers = new BundleWorkerOptions
        {
            QueueCapacity = (int)Number(mim, "QueueCapacity", 16),
            JobTimeout = TimeSpan.FromSeconds(Number(mim, "JobTimeoutSeconds", 600)),
        };
        return new BundleHostSettings(catalog, workers);
    }

    private static double Number(IConfiguration mim, string name, double fallback) =>
        mim[$"Bundles:{name}"] is not { Length: > 0 } text ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new FormatException($"Mim:Bundles:{name} must be a positive number, is '{text}'");
}
