using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Running;
using MiM.Bundles.Host.Tests.Catalog;

namespace MiM.Bundles.Host.Tests.Running;

public sealed class SeriesDispatcherTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Heads_sharing_an_encoder_version_get_one_encoder_pass_per_series()
    {
        var dir = _temp.Sub("bundles");
        TestCatalogs.Encoder().Write(Path.Combine(dir, "encoder"));
        TestCatalogs.FeatureHead("head-a").Write(Path.Combine(dir, "head-a"));
        TestCatalogs.FeatureHead("head-b").Write(Path.Combine(dir, "head-b"));
        new TestBundle().Write(Path.Combine(dir, "bright"));
        await using var catalog = TestCatalogs.Create(dir);
        await catalog.ScanAsync(CancellationToken.None);
        await using var runner = new BundleRunner(catalog, DeviceScheduler.CpuOnly(), new BundleWorkerOptions(), NullLoggerFactory.Instance);
        var dispatcher = new SeriesDispatcher(catalog, runner);
        var before = EncoderPasses(catalog);

        var results = await dispatcher.RunAsync(SyntheticVolume.Create(), ["head-a", "bright-seg", "head-b"]);

        Assert.Equal(1, EncoderPasses(catalog) - before);
        Assert.All(results, r => Assert.True(r.Status == JobStatus.Succeeded, r.Error));
        Assert.Equal("263654008", results[0].Classification!.MostLikely.Class.CodeValue);
        Assert.Equal("263654008", results[2].Classification!.MostLikely.Class.CodeValue);
        Assert.NotNull(results[1].Labels);

        await dispatcher.RunAsync(SyntheticVolume.Create(), ["head-a", "head-b"]);
        Assert.Equal(2, EncoderPasses(catalog) - before);
    }

    [Fact]
    public async Task A_shared_head_whose_encoder_stopped_serving_is_rejected_naming_the_encoder_not_run_without_features()
    {
        var dir = _temp.Sub("bundles");
        TestCatalogs.Encoder().Write(Path.Combine(dir, "encoder"));
        TestCatalogs.FeatureHead("head-a").Write(Path.Combine(dir, "head-a"));
        await using var catalog = TestCatalogs.Create(dir);
        await catalog.ScanAsync(CancellationToken.None);
        await using var runner = new BundleRunner(catalog, DeviceScheduler.CpuOnly(), new BundleWorkerOptions(), NullLoggerFactory.Instance);
        Directory.Delete(Path.Combine(dir, "encoder"), recursive: true);
        await catalog.ScanAsync(CancellationToken.None);

        var result = Assert.Single(await new SeriesDispatcher(catalog, runner).RunAsync(SyntheticVolume.Create(), ["head-a"]));
        Assert.Equal(JobStatus.Rejected, result.Status);
        Assert.Equal("requires encoder test-encoder ^1.0, which is not serving", result.Error);
    }

    /// <summary>The counting encoder's pass counter, read from the encoder version's own load context.</summary>
    private static int EncoderPasses(BundleCatalog catalog)
    {
        var assembly = catalog.Serving("test-encoder")!.Bundle!.GetType().Assembly;
        return (int)assembly.GetType("ThresholdBundle.EncoderPasses")!.GetProperty("Count")!.GetValue(null)!;
    }
}
