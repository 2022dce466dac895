using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Loading;
using MiM.Bundles.Host.Running;

namespace MiM.Bundles.Host.Tests.Catalog;

/// <summary>
/// A new version of a head bundle dropped into the watched directory of a running catalog while a stream of volumes
/// is processed through the job queues: no job fails, every result names the version that made it and is that
/// version's answer, the versions switch once (old then new), and the new one serves only after its warm-up.
/// </summary>
public sealed class HotDropInTests : IDisposable
{
    private const int Volumes = 30;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_version_dropped_in_while_volumes_stream_takes_over_after_its_warm_up_and_no_job_fails()
    {
        var dir = _temp.Sub("bundles");
        Directory.CreateDirectory(dir);
        Threshold(new TestBundle(version: "1.0.0"), 100).Write(Path.Combine(dir, "bright-1.0.0"));
        var options = new BundleCatalogOptions { Directory = dir, RescanInterval = TimeSpan.FromMinutes(10), QuietPeriod = TimeSpan.FromMilliseconds(100) };
        await using var catalog = new BundleCatalog(options, PluginLocator.LibOnly, NullLogger<BundleCatalog>.Instance);
        using var service = new BundleCatalogService(catalog, options, NullLogger<BundleCatalogService>.Instance);
        var clock = Stopwatch.StartNew();
        TimeSpan? newServingAt = null;
        catalog.VersionServing += (_, version) =>
        {
            if (version.Version?.ToString() == "1.1.0")
            {
                newServingAt = clock.Elapsed;
            }
        };
        await service.StartAsync(CancellationToken.None);
        await using var runner = new BundleRunner(catalog, DeviceScheduler.CpuOnly(), new BundleWorkerOptions(), NullLoggerFactory.Instance);
        try
        {
            Assert.True(await Eventually(() => catalog.Serving("bright-seg") is not null), "1.0.0 never served");
            var old = catalog.Serving("bright-seg")!;

            // Voxels 0, 150, 250: version 1.0.0 (threshold 100) labels [0, 1, 1], version 1.1.0 (threshold 200) [0, 0, 1].
            var volume = new Volume(new VolumeGeometry(new GridSize(3, 1, 1), default, new Vector3D(1, 1, 1), Direction3D.Identity), [0f, 150f, 250f]);
            var results = new List<(TimeSpan Submitted, JobResult Result)>();
            var droppedAt = TimeSpan.Zero;
            for (var i = 0; i < Volumes; i++)
            {
                if (i == Volumes / 3)
                {
                    // A slow warm-up (1 s) so that jobs keep arriving while the new version warms up.
                    var staged = Threshold(new TestBundle(kind: "slow-warmup", version: "1.1.0"), 200).Write(_temp.Sub("staging"));
                    droppedAt = clock.Elapsed;
                    Directory.Move(staged, Path.Combine(dir, "bright-1.1.0"));
                }

                var submitted = clock.Elapsed;
                results.Add((submitted, await runner.SubmitAsync("bright-seg", new BundleInput(volume))));
                await Task.Delay(i < Volumes / 3 ? 20 : 150);
            }

            Assert.All(results, r => Assert.True(r.Result.Status == JobStatus.Succeeded, $"{r.Result.BundleVersion}: {r.Result.Status} {r.Result.Error}"));
            var versions = results.Select(r => r.Result.BundleVersion).ToList();
            var firstNew = versions.IndexOf("1.1.0");
            Assert.True(firstNew > 0, "the new version never ran a job: " + string.Join(',', versions));
            Assert.All(versions.Take(firstNew), v => Assert.Equal("1.0.0", v));
            Assert.All(versions.Skip(firstNew), v => Assert.Equal("1.1.0", v));
            Assert.NotNull(newServingAt);
            Assert.True(newServingAt - droppedAt >= TimeSpan.FromSeconds(1), $"1.1.0 served {newServingAt - droppedAt} after it was dropped in, sooner than its 1 s warm-up");
            Assert.All(results.Skip(firstNew), r => Assert.True(r.Submitted >= newServingAt, "a job reached 1.1.0 before its warm-up ended"));
            foreach (var (_, result) in results)
            {
                ushort[] expected = result.BundleVersion == "1.0.0" ? [0, 1, 1] : [0, 0, 1];
                Assert.Equal(expected, result.Labels!.Voxels);
            }

            Assert.True(await Eventually(() => old.State == BundleState.Unloaded), $"1.0.0 is {old.State} after the switch, not unloaded");
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    private static TestBundle Threshold(TestBundle bundle, int threshold)
    {
        bundle.Inference["network_def"]!["threshold"] = threshold;
        return bundle;
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        return condition();
    }
}
