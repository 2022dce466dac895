namespace MiM.Bundles.Host.Catalog;

/// <summary>Settings of the bundle catalog ("Bundles" in appsettings.json).</summary>
public sealed record BundleCatalogOptions
{
    /// <summary>The watched bundle directory; each sub-folder is one bundle version (hidden folders are ignored).</summary>
    public required string Directory { get; init; }

    /// <summary>Which versions may serve, per bundle id.</summary>
    public BundlePins Pins { get; init; } = BundlePins.None;

    /// <summary>How often the directory is rescanned besides file-system events (which can be missed, e.g. on network shares).</summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after the last file-system event a rescan starts.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromMilliseconds(500);
}
