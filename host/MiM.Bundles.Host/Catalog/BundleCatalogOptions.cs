using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Host.Catalog;

/// <summary>Settings of the bundle catalog ("Bundles" in appsettings.json).</summary>
public sealed record BundleCatalogOptions
{
    /// <summary>The watched bundle directory; each sub-folder is one bundle version (hidden folders are ignored).</summary>
    public required string Directory { get; init; }

    /// <summary>
    /// The site's trust store. When set, a folder installed from a signed archive (<c>&lt;id&gt;/&lt;version&gt;/.mimb/</c>)
    /// is verified again before it loads: signer still trusted, every file as signed.
    /// </summary>
    public TrustStore? Trust { get; init; }

    /// <summary>With <see cref="Trust"/>: refuse folders that were not installed from a signed archive.</summary>
    public bool RequireSigned { get; init; }

    /// <summary>Which versions may serve, per bundle id, from configuration; runtime pins (<see cref="SiteControlFile"/>) replace these per id.</summary>
    public BundlePins Pins { get; init; } = BundlePins.None;

    /// <summary>How often the directory is rescanned besides file-system events (which can be missed, e.g. on network shares).</summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after the last file-system event a rescan starts.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromMilliseconds(500);
}
