using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Host.Tests.Catalog;

public sealed class BundleCatalogTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Dir => _temp.Sub("bundles");

    private static Volume Row(params float[] values) =>
        new(new VolumeGeometry(new GridSize(values.Length, 1, 1), default, new Vector3D(1, 1, 1), Direction3D.Identity), values);

    [Fact]
    public async Task A_complete_bundle_goes_through_validation_loading_and_warm_up_to_serving()
    {
        new TestBundle().Write(Path.Combine(Dir, "bright-1"));
        await using var catalog = TestCatalogs.Create(Dir);
        await catalog.ScanAsync(CancellationToken.None);

        var serving = catalog.Serving("bright-seg");
        Assert.NotNull(serving);
        Assert.Equal(BundleState.Serving, serving.State);
        Assert.Equal("cpu", serving.Device);
        using var lease = catalog.Acquire("bright-seg")!;
        var labels = await ((ISegmentationBundle)lease.Bundle).SegmentAsync(new BundleInput(Row(0, 150)), CancellationToken.None);
        Assert.Equal([0, 1], labels.Voxels);
    }

    [Fact]
    public async Task A_folder_not_marked_complete_or_still_short_of_a_listed_file_is_not_loaded()
    {
        var folder = new TestBundle { MarkComplete = false }.Write(Path.Combine(Dir, "bright-1"));
        await using var catalog = TestCatalogs.Create(Dir);
        await catalog.ScanAsync(CancellationToken.None);
        Assert.Empty(catalog.Versions);

        // The marker arrived before the last bytes of a file (a copy in directory order): still not complete.
        CompletionMarker.Write(folder);
        var license = Path.Combine(folder, "LICENSE");
        var text = File.ReadAllText(license);
        File.WriteAllText(license, text[..^3]);
        await catalog.ScanAsync(CancellationToken.None);
        Assert.Empty(catalog.Versions);

        File.WriteAllText(license, text);
        await catalog.ScanAsync(CancellationToken.None);
        Assert.Equal(BundleState.Serving, catalog.Serving("bright-seg")!.State);
    }

    [Fact]
    public async Task A_new_version_takes_over_after_warm_up_while_the_old_drains_its_jobs_then_unloads()
    {
        new TestBundle(version: "1.0.0").Write(Path.Combine(Dir, "bright-1.0.0"));
        await using var catalog = TestCatalogs.Create(Dir);
        await catalog.ScanAsync(CancellationToken.None);
        var (old, context) = HoldOldWhileSwitching(catalog, Path.Combine(Dir, "bright-1.1.0"));
        await catalog.ScanAsync(CancellationToken.None);

        Assert.Equal("1.1.0", catalog.Serving("bright-seg")!.Version!.ToString());
        Assert.Equal(BundleState.Draining, old.Version.State);
        old.Dispose();
        await catalog.RetiredAsync();
        Assert.Equal(BundleState.Unloaded, old.Version.State);
        Assert.True(TestCatalogs.Collected(context), "the old version's load context survived");
    }

    [Fact]
    public async Task Removing_a_folder_drains_and_unloads_its_version_and_collects_its_load_context()
    {
        var folder = new TestBundle().Write(Path.Combine(Dir, "bright-1"));
        await using var catalog = TestCatalogs.Create(Dir);
        await catalog.ScanAsync(CancellationToken.None);
        var context = ContextOf(catalog, "bright-seg");

        Directory.Delete(folder, recursive: true);
        await catalog.ScanAsync(CancellationToken.None);
        await catalog.RetiredAsync();
        Assert.Null(catalog.Serving("bright-seg"));
        Assert.Empty(catalog.Versions);
        Assert.True(TestCatalogs.Collected(context), "the removed version's load context survived");
    }

    [Fact]
    public async Task A_pin_keeps_the_pinned_version_serving_and_holds_newer_ones_back()
    {
        new TestBundle(version: "1.0.0").Write(Path.Combine(Dir, "bright-1.0.0"));
        new TestBundle(version: "2.0.0").Write(Path.Combine(Dir, "bright-2.0.0"));
        await using var catalog = TestCatalogs.Create(Dir, new BundlePins(new Dictionary<string, string> { ["bright-seg"] = "1.0.0" }));
        await catalog.ScanAsync(CancellationToken.None);

        Assert.Equal("1.0.0", catalog.Serving("bright-seg")!.Version!.ToString());
        var held = Assert.Single(catalog.Versions, v => v.Version!.ToString() == "2.0.0");
        Assert.Equal(BundleState.Discovered, held.State);
        Assert.StartsWith("held back: bright-seg is pinned to", held.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_that_fails_validation_or_warm_up_is_failed_with_its_reason_and_the_serving_one_stays()
    {
        new TestBundle(version: "1.0.0").Write(Path.Combine(Dir, "bright-1.0.0"));
        var broken = new TestBundle(version: "1.1.0");
        broken.Metadata.Remove("license");
        broken.Write(Path.Combine(Dir, "bright-1.1.0"));
        new TestBundle(kind: "fault-warmup", id: "cold", version: "1.0.0").Write(Path.Combine(Dir, "cold-1.0.0"));
        await using var catalog = TestCatalogs.Create(Dir);
        await catalog.ScanAsync(CancellationToken.None);

        Assert.Equal("1.0.0", catalog.Serving("bright-seg")!.Version!.ToString());
        var invalid = Assert.Single(catalog.Versions, v => v.Folder.EndsWith("bright-1.1.0", StringComparison.Ordinal));
        Assert.Equal(BundleState.Failed, invalid.State);
        Assert.Contains("configs/metadata.json: license: missing", invalid.FailureReason, StringComparison.Ordinal);
        var cold = Assert.Single(catalog.Versions, v => v.Id == "cold");
        Assert.Equal(BundleState.Failed, cold.State);
        Assert.Equal("InvalidOperationException: the test plugin fails its warm-up on purpose", cold.FailureReason);
        Assert.Null(catalog.Serving("cold"));
    }

    [Fact]
    public async Task A_head_with_a_shared_encoder_warms_up_on_the_serving_encoders_features_and_without_it_fails()
    {
        TestCatalogs.Encoder().Write(Path.Combine(Dir, "encoder"));
        TestCatalogs.FeatureHead("head-a").Write(Path.Combine(Dir, "head-a"));
        TestCatalogs.FeatureHead("head-b", requires: "^2.0").Write(Path.Combine(Dir, "head-b"));
        await using var catalog = TestCatalogs.Create(Dir);
        await catalog.ScanAsync(CancellationToken.None);

        Assert.Equal(BundleState.Serving, catalog.Serving("test-encoder")!.State);
        Assert.Equal(BundleState.Serving, catalog.Serving("head-a")!.State);
        var b = Assert.Single(catalog.Versions, v => v.Id == "head-b");
        Assert.Equal(BundleState.Failed, b.State);
        Assert.Contains("requires.test-encoder: no known encoder meets test-encoder ^2.0 (known: 1.0.0)", b.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_catalog_service_loads_a_bundle_moved_into_the_watched_directory_and_unloads_it_when_removed()
    {
        Directory.CreateDirectory(Dir);
        var options = new BundleCatalogOptions { Directory = Dir, RescanInterval = TimeSpan.FromMinutes(10), QuietPeriod = TimeSpan.FromMilliseconds(100) };
        await using var catalog = new BundleCatalog(options, Host.Loading.PluginLocator.LibOnly, NullLogger<BundleCatalog>.Instance);
        using var service = new BundleCatalogService(catalog, options, NullLogger<BundleCatalogService>.Instance);
        await service.StartAsync(CancellationToken.None);
        try
        {
            var staged = new TestBundle().Write(_temp.Sub("staging"));
            Directory.Move(staged, Path.Combine(Dir, "bright-1"));
            Assert.True(await Eventually(() => catalog.Serving("bright-seg") is not null), "the moved-in bundle never served");

            Directory.Delete(Path.Combine(Dir, "bright-1"), recursive: true);
            Assert.True(await Eventually(() => catalog.Serving("bright-seg") is null && catalog.Versions.Count == 0), "the removed bundle kept serving");
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        return condition();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (BundleLease Old, WeakReference Context) HoldOldWhileSwitching(BundleCatalog catalog, string newFolder)
    {
        var lease = catalog.Acquire("bright-seg")!;
        new TestBundle(version: "1.1.0").Write(newFolder);
        return (lease, lease.Version.LoadContext!);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference ContextOf(BundleCatalog catalog, string id) => catalog.Serving(id)!.LoadContext!;
}
