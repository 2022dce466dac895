using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Running;
using MiM.Bundles.Host.Shadow;
using MiM.Bundles.Host.Tests.Subscriptions;

namespace MiM.Bundles.Host.Tests.Catalog;

/// <summary>Shadow candidates and promotion through <see cref="BundleControl"/> on a real catalog and the test plugin.</summary>
public sealed class ShadowControlTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly RecordingAuditLog _audit = new();

    public void Dispose() => _temp.Dispose();

    private string Dir => _temp.Sub("bundles");

    private BundleCatalog Catalog() =>
        new(new BundleCatalogOptions { Directory = Dir, Pins = BundlePins.None }, MiM.Bundles.Host.Loading.PluginLocator.LibOnly, NullLogger<BundleCatalog>.Instance, audit: _audit);

    private BundleControl Control(BundleCatalog catalog) => new(catalog, _audit, TimeProvider.System, NullLogger<BundleControl>.Instance);

    private void Install(string version, double threshold = 100)
    {
        var bundle = new TestBundle(version: version);
        bundle.Inference["network_def"]!["threshold"] = threshold;
        bundle.Write(Path.Combine(Dir, "bright-seg", version));
    }

    /// <summary>1.0.0 serves; 1.1.0 (newer, would serve by itself) is installed and put in shadow.</summary>
    private async Task<(BundleCatalog Catalog, BundleControl Control)> ServingWithShadowAsync(double candidateThreshold = 100)
    {
        Install("1.0.0");
        var catalog = Catalog();
        await catalog.ScanAsync(CancellationToken.None);
        Install("1.1.0", candidateThreshold);
        var control = Control(catalog);
        Assert.Equal("1.1.0", await control.ShadowAsync("bright-seg", "1.1.0", "api:admin", CancellationToken.None));
        return (catalog, control);
    }

    [Fact]
    public async Task A_newer_candidate_in_shadow_warms_up_beside_the_serving_version_and_does_not_serve()
    {
        var (catalog, _) = await ServingWithShadowAsync();
        await using (catalog)
        {
            Assert.Equal("1.0.0", catalog.Serving("bright-seg")!.Version!.ToString());
            var shadow = catalog.Shadow("bright-seg")!;
            Assert.Equal(BundleState.Shadow, shadow.State);
            Assert.NotNull(shadow.Bundle);
            Assert.DoesNotContain(catalog.AllServing, v => v == shadow);
            Assert.Equal("1.1.0", new SiteControlFile(Dir).Read().Shadows["bright-seg"].Version);
            Assert.Single(_audit.Of("bundle-shadow"));
            Assert.Single(_audit.Of("bundle-shadowing"));

            // A rescan (the watcher's) keeps it so.
            await catalog.ScanAsync(CancellationToken.None);
            Assert.Equal("1.0.0", catalog.Serving("bright-seg")!.Version!.ToString());
            Assert.Same(shadow, catalog.Shadow("bright-seg"));
        }
    }

    [Fact]
    public async Task A_shared_encoder_head_in_shadow_runs_on_the_serving_encoder_and_agrees_with_the_serving_head()
    {
        TestCatalogs.Encoder().Write(Path.Combine(Dir, "test-encoder", "1.0.0"));
        TestCatalogs.FeatureHead("mean-cls").Write(Path.Combine(Dir, "mean-cls", "1.0.0"));
        await using var catalog = Catalog();
        await catalog.ScanAsync(CancellationToken.None);
        TestCatalogs.FeatureHead("mean-cls", version: "1.1.0").Write(Path.Combine(Dir, "mean-cls", "1.1.0"));
        Assert.Equal("1.1.0", await Control(catalog).ShadowAsync("mean-cls", "1.1.0", "api:admin", CancellationToken.None));
        Assert.Equal(BundleState.Shadow, catalog.Shadow("mean-cls")!.State);
        await using var runner = new BundleRunner(catalog, DeviceScheduler.CpuOnly(), new BundleWorkerOptions(), NullLoggerFactory.Instance);
        var dispatcher = new SeriesDispatcher(catalog, runner);
        var volume = SyntheticVolume.Create();

        // As mim serve runs them: the serving and the shadow target in two dispatches started together.
        var servingRun = dispatcher.RunAsync(volume, [new DispatchTarget("mean-cls", Shadow: false)]);
        var shadowRun = dispatcher.RunAsync(volume, [new DispatchTarget("mean-cls", Shadow: true)]);
        var serving = Assert.Single(await servingRun);
        var shadow = Assert.Single(await shadowRun);

        Assert.True(serving.Status == JobStatus.Succeeded, serving.Error);
        Assert.True(shadow.Status == JobStatus.Succeeded, shadow.Error);
        Assert.Equal(("1.0.0", "1.1.0"), (serving.BundleVersion, shadow.BundleVersion));
        Assert.Equal(serving.Classification!.Probabilities, shadow.Classification!.Probabilities);
        Assert.Equal(1.0, ShadowComparison.Compare("serving-job", serving, shadow, []).Agreement);
    }

    [Fact]
    public async Task Serving_and_shadow_targets_run_the_same_series_on_their_own_versions()
    {
        var (catalog, _) = await ServingWithShadowAsync(candidateThreshold: 1000);
        await using (catalog)
        {
            await using var runner = new BundleRunner(catalog, DeviceScheduler.CpuOnly(), new BundleWorkerOptions(), NullLoggerFactory.Instance);
            var results = await new SeriesDispatcher(catalog, runner).RunAsync(
                SyntheticVolume.Create(), [new DispatchTarget("bright-seg", Shadow: false), new DispatchTarget("bright-seg", Shadow: true)]);

            Assert.All(results, r => Assert.True(r.Status == JobStatus.Succeeded, r.Error));
            Assert.Equal("1.0.0", results[0].BundleVersion);
            Assert.Equal("1.1.0", results[1].BundleVersion);
            Assert.NotEqual(results[0].Labels!.CountVoxels().GetValueOrDefault((ushort)1), results[1].Labels!.CountVoxels().GetValueOrDefault((ushort)1));
        }
    }

    [Fact]
    public async Task Promotion_switches_to_the_warm_shadow_in_place_and_a_job_holding_the_old_version_finishes_on_it()
    {
        var (catalog, control) = await ServingWithShadowAsync();
        await using (catalog)
        {
            var old = catalog.Serving("bright-seg")!;
            var shadow = catalog.Shadow("bright-seg")!;
            using (var running = catalog.Acquire("bright-seg")!)
            {
                Assert.Equal("1.1.0", await control.PromoteAsync("bright-seg", "1.1.0", "cli:admin", CancellationToken.None));

                Assert.Same(shadow, catalog.Serving("bright-seg"));
                Assert.Equal(BundleState.Serving, shadow.State);
                Assert.Null(catalog.Shadow("bright-seg"));
                Assert.Equal(BundleState.Draining, old.State);
                var labels = await ((ISegmentationBundle)running.Bundle).SegmentAsync(new BundleInput(SyntheticVolume.Create()), CancellationToken.None);
                Assert.NotNull(labels);
            }

            await catalog.RetiredAsync();
            Assert.Equal(BundleState.Unloaded, old.State);
            var control1 = new SiteControlFile(Dir).Read();
            Assert.Empty(control1.Shadows);
            Assert.Equal("1.1.0", control1.Pins["bright-seg"].Range);
            Assert.Contains("promoted from 1.0.0 to 1.1.0 requested by cli:admin", Assert.Single(_audit.Of("bundle-promote")).Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Clearing_the_shadow_unloads_the_candidate_and_pins_the_serving_version_so_the_newer_one_does_not_take_over()
    {
        var (catalog, control) = await ServingWithShadowAsync();
        await using (catalog)
        {
            var shadow = catalog.Shadow("bright-seg")!;

            Assert.Null(await control.ShadowAsync("bright-seg", null, "api:admin", CancellationToken.None));
            await catalog.ScanAsync(CancellationToken.None);

            Assert.Null(catalog.Shadow("bright-seg"));
            Assert.Equal("1.0.0", catalog.Serving("bright-seg")!.Version!.ToString());
            await catalog.RetiredAsync();
            Assert.Equal(BundleState.Unloaded, shadow.State);
            Assert.Equal("shadow of 1.1.0 cleared", new SiteControlFile(Dir).Read().Pins["bright-seg"].Reason);
        }
    }

    [Fact]
    public async Task A_promotion_whose_version_fails_its_warm_up_leaves_the_serving_version_and_restores_the_pin_and_shadow()
    {
        var (catalog, control) = await ServingWithShadowAsync();
        await using (catalog)
        {
            new TestBundle("fault-warmup", version: "1.2.0").Write(Path.Combine(Dir, "bright-seg", "1.2.0"));
            var before = new SiteControlFile(Dir).Read();
            Assert.False(before.Pins.ContainsKey("bright-seg"));

            var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => control.PromoteAsync("bright-seg", "1.2.0", "api:admin", CancellationToken.None));

            Assert.StartsWith("promotion of bright-seg to 1.2.0 failed", failed.Message, StringComparison.Ordinal);
            Assert.Equal("1.0.0", catalog.Serving("bright-seg")!.Version!.ToString());
            Assert.Equal("1.1.0", catalog.Shadow("bright-seg")!.Version!.ToString());
            var after = new SiteControlFile(Dir).Read();
            Assert.False(after.Pins.ContainsKey("bright-seg"));
            Assert.Equal("1.1.0", after.Shadows["bright-seg"].Version);
            Assert.Single(_audit.Of("bundle-promote-failed"));
        }
    }

    [Fact]
    public async Task A_shadow_of_a_version_not_installed_or_of_the_serving_version_is_refused_naming_it()
    {
        Install("1.0.0");
        await using var catalog = Catalog();
        await catalog.ScanAsync(CancellationToken.None);
        var control = Control(catalog);

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => control.ShadowAsync("bright-seg", "2.0.0", "api:admin", CancellationToken.None));
        var serving = await Assert.ThrowsAsync<InvalidOperationException>(() => control.ShadowAsync("bright-seg", "1.0.0", "api:admin", CancellationToken.None));
        var range = await Assert.ThrowsAsync<FormatException>(() => control.ShadowAsync("bright-seg", "^1.0", "api:admin", CancellationToken.None));

        Assert.Equal("bright-seg 2.0.0 is not installed (installed: 1.0.0)", missing.Message);
        Assert.Contains("is the version that serves", serving.Message, StringComparison.Ordinal);
        Assert.Contains("\"^1.0\" is not a semantic version", range.Message, StringComparison.Ordinal);
        Assert.Empty(new SiteControlFile(Dir).Read().Shadows);
    }
}
