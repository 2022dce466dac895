using MiM.Bundles.Host.Api;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Serving;

namespace MiM.Bundles.Host.Tests.Catalog;

public sealed class CatalogBundleListingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Listing_of_a_real_catalog_shows_the_pinned_serving_version_and_the_held_back_one_with_the_pin()
    {
        var directory = _temp.Sub("bundles");
        new TestBundle(version: "1.0.0").Write(Path.Combine(directory, "bright-1.0.0"));
        new TestBundle(version: "1.1.0").Write(Path.Combine(directory, "bright-1.1.0"));
        var options = new BundleCatalogOptions { Directory = directory, Pins = new BundlePins(new Dictionary<string, string> { ["bright-seg"] = "1.0.0" }) };
        await using var catalog = TestCatalogs.Create(directory, options.Pins);
        await catalog.ScanAsync(CancellationToken.None);

        var views = new CatalogBundleListing(catalog, options).List();

        Assert.Equal(["1.0.0", "1.1.0"], views.Select(v => v.Version));
        Assert.Equal(BundleState.Serving, views[0].State);
        Assert.NotEqual(BundleState.Serving, views[1].State);
        Assert.All(views, v => Assert.Contains("1.0.0", v.Pin, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readiness_over_a_real_catalog_passes_the_bundle_check_only_once_a_version_serves()
    {
        var directory = _temp.Sub("bundles");
        Directory.CreateDirectory(directory);
        var options = new BundleCatalogOptions { Directory = directory };
        await using var catalog = TestCatalogs.Create(directory);
        var probe = new ReadinessProbe(new Listening(), new CatalogBundleListing(catalog, options), new ApiSettings { DataDirectory = _temp.Path, MinimumFreeDiskBytes = 1 });

        await catalog.ScanAsync(CancellationToken.None);
        var empty = probe.Check();
        new TestBundle().Write(Path.Combine(directory, "bright-1"));
        await catalog.ScanAsync(CancellationToken.None);
        var serving = probe.Check();

        Assert.False(empty.Ready);
        Assert.False(empty.Checks.Single(c => c.Name == "bundles").Passed);
        Assert.True(serving.Ready, string.Join("; ", serving.Checks.Select(c => c.Detail)));
        Assert.Contains("bright-seg 1.0.0", serving.Checks.Single(c => c.Name == "bundles").Detail, StringComparison.Ordinal);
    }

    private sealed class Listening : IDicomListenerState
    {
        public bool IsListening => true;
    }
}
