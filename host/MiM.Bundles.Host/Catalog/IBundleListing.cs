namespace MiM.Bundles.Host.Catalog;

/// <summary>The read side of the catalog for operators: every known version with its state and pin.</summary>
public interface IBundleListing
{
    /// <summary>Every version the catalog knows (unloaded ones excluded), ordered by id then version.</summary>
    IReadOnlyList<BundleView> List();
}
