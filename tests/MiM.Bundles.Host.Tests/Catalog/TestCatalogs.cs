using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Loading;

namespace MiM.Bundles.Host.Tests.Catalog;

/// <summary>Catalogs over a temporary bundle directory, and the test plugin's encoder/head bundles.</summary>
internal static class TestCatalogs
{
    public static BundleCatalog Create(string directory, BundlePins? pins = null) =>
        new(new BundleCatalogOptions { Directory = directory, Pins = pins ?? BundlePins.None }, PluginLocator.LibOnly, NullLogger<BundleCatalog>.Instance);

    /// <summary>The counting encoder "test-encoder".</summary>
    public static TestBundle Encoder(string version = "1.0.0") => new("counting-encoder", "test-encoder", version, "encoder");

    /// <summary>A classification head that reads the counting encoder's features.</summary>
    public static TestBundle FeatureHead(string id, string requires = "^1.0", string version = "1.0.0")
    {
        var head = new TestBundle("feature-head", id, version, "classification");
        head.Metadata["encoder"] = "shared";
        head.Metadata["requires"] = new JsonObject { ["test-encoder"] = requires };
        head.Metadata["feature_format"] = "test-mean/1";
        return head;
    }

    /// <summary>Collects garbage until <paramref name="reference"/> dies or 10 rounds pass.</summary>
    public static bool Collected(WeakReference reference)
    {
        for (var i = 0; i < 10 && reference.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return !reference.IsAlive;
    }
}
