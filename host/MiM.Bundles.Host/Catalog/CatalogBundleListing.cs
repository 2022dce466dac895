using Semver;

namespace MiM.Bundles.Host.Catalog;

/// <summary>Lists a <see cref="BundleCatalog"/>'s versions with the pin of each id.</summary>
/// <param name="catalog">The catalog.</param>
/// <param name="pinOf">The current pin of a bundle id (pins change at run time through <see cref="IBundleControl"/>, so they are asked each time).</param>
public sealed class CatalogBundleListing(BundleCatalog catalog, Func<string, string?> pinOf) : IBundleListing
{
    /// <summary>Lists with the pins of the catalog's configuration.</summary>
    public CatalogBundleListing(BundleCatalog catalog, BundleCatalogOptions options)
        : this(catalog, (options ?? throw new ArgumentNullException(nameof(options))).Pins.PinOf)
    {
    }

    /// <inheritdoc/>
    public IReadOnlyList<BundleView> List() =>
    [
        .. catalog.Versions
            .OrderBy(v => v.Id ?? v.Folder, StringComparer.Ordinal)
            .ThenBy(v => v.Version!, SemVersion.SortOrderComparer)
            .Select(v => BundleView.Of(v, v.Id is null ? null : pinOf(v.Id))),
    ];
}
