using System.Text.Json;
using MiM.Bundles.Contracts.Bundles;

namespace MiM.Bundles.Host.Catalog;

/// <summary>Asks the provider of a bundle's kind which weights its network expects (<see cref="IBundleProvider.Describe"/>).</summary>
public interface IBundleDescriber
{
    /// <summary>The provider's description, or a description whose problems say why no provider could describe it.</summary>
    BundleDescription Describe(string folder, BundleMetadata metadata, JsonElement inference);
}
