using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Running;
using MiM.Bundles.Host.Tests.Catalog;

namespace MiM.Bundles.Host.Tests.Running;

public sealed class BundleWorkerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Dir => _temp.Sub("bundles");

    /// <summary>The test plugin's faulty kinds misbehave on a volume whose first voxel is negative.</summary>
    private static BundleInput Faulty => new(Row(-1, 150));

    private static BundleInput Healthy => new(Row(0, 150));

    private static Volume Row(params float[] values) =>
        new(new VolumeGeometry(new GridSize(values.Length, 1, 1), default, new Vector3D(1, 1, 1), Direction3D.Identity), values);

    private async Task<(BundleCatalog Catalog, BundleRunner Runner)> ServeAsync(string kind, BundleWorkerOptions options)
    {
        new TestBundle(kind: kind, id: kind).Write(Path.Combine(Dir, kind));
        var catalog = TestCatalogs.Create(Dir);
        await catalog.ScanAsync(CancellationToken.None);
        Assert.NotNull(catalog.Serving(kind));
        return (catalog, new BundleRunner(catalog, DeviceScheduler.CpuOnly(), options, NullLoggerFactory.Instance));
    }

    [Theory]
    [InlineData("fault-throw", JobStatus.Failed, "InvalidOperationException: the test plugin fails this job on purpose")]
    [InlineData("fault-oom", JobStatus.Failed, "out of memory: the test plugin pretends the device is out of memory")]
    [InlineData("fault-hang", JobStatus.TimedOut, "no result within 00:00:00.3000000")]
    public async Task A_faulty_job_fails_alone_and_the_next_job_of_the_same_bundle_succeeds(string kind, JobStatus status, string error)
    {
        var (catalog, runner) = await ServeAsync(kind, new BundleWorkerOptions { JobTimeout = TimeSpan.FromMilliseconds(300) });
        await using (catalog)
        await using (runner)
        {
            var failed = await runner.SubmitAsync(kind, Faulty);
            Assert.Equal(status, failed.Status);
            Assert.Equal(error, failed.Error);

            var next = await runner.SubmitAsync(kind, Healthy);
            Assert.Equal(JobStatus.Succeeded, next.Status);
            Assert.Equal([0, 1], next.Labels!.Voxels);
            Assert.Equal(BundleState.Serving, catalog.Serving(kind)!.State);
        }
    }

    [Fact]
    public async Task A_full_queue_rejects_and_shutdown_cancels_the_running_and_the_queued_jobs()
    {
        var (catalog, runner) = await ServeAsync("fault-hang", new BundleWorkerOptions { QueueCapacity = 1, JobTimeout = TimeSpan.FromMinutes(5) });
        await using (catalog)
        {
            var running = runner.SubmitAsync("fault-hang", Faulty);
            await Task.Delay(200);
            var queued = runner.SubmitAsync("fault-hang", Healthy);
            var rejected = await runner.SubmitAsync("fault-hang", Healthy);
            Assert.Equal(JobStatus.Rejected, rejected.Status);

            await runner.DisposeAsync();
            Assert.Equal(JobStatus.Cancelled, (await running.WaitAsync(TimeSpan.FromSeconds(10))).Status);
            Assert.Equal(JobStatus.Cancelled, (await queued.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        }
    }

    [Fact]
    public async Task A_worker_stopped_before_it_ran_releases_its_version_and_cancels_its_queue()
    {
        new TestBundle().Write(Path.Combine(Dir, "bright"));
        await using var catalog = TestCatalogs.Create(Dir);
        await catalog.ScanAsync(CancellationToken.None);
        var lease = catalog.Acquire("bright-seg")!;
        using var worker = new BundleWorker(lease, DeviceScheduler.CpuOnly(), new BundleWorkerOptions(), NullLogger.Instance);
        Assert.Equal(1, worker.Version.InFlight);
        var queued = worker.SubmitAsync(Healthy);

        await worker.StopAsync(CancellationToken.None);
        Assert.Equal(0, worker.Version.InFlight);
        Assert.Equal(JobStatus.Cancelled, (await queued).Status);
    }

    [Fact]
    public async Task A_job_for_a_bundle_that_is_not_serving_is_rejected_naming_it()
    {
        var (catalog, runner) = await ServeAsync("threshold-segmentation", new BundleWorkerOptions());
        await using (catalog)
        await using (runner)
        {
            var result = await runner.SubmitAsync("nothing-here", Healthy);
            Assert.Equal(JobStatus.Rejected, result.Status);
            Assert.Equal("nothing-here is not serving", result.Error);
        }
    }

    [Fact]
    public async Task After_a_switch_new_jobs_run_on_the_new_version_and_the_old_one_unloads_once_its_worker_is_done()
    {
        new TestBundle(version: "1.0.0").Write(Path.Combine(Dir, "v1"));
        await using var catalog = TestCatalogs.Create(Dir);
        await catalog.ScanAsync(CancellationToken.None);
        await using var runner = new BundleRunner(catalog, DeviceScheduler.CpuOnly(), new BundleWorkerOptions(), NullLoggerFactory.Instance);
        var old = catalog.Serving("bright-seg")!;
        Assert.Equal("1.0.0", (await runner.SubmitAsync("bright-seg", Healthy)).BundleVersion);

        new TestBundle(version: "1.1.0").Write(Path.Combine(Dir, "v2"));
        await catalog.ScanAsync(CancellationToken.None);
        Assert.Equal("1.1.0", (await runner.SubmitAsync("bright-seg", Healthy)).BundleVersion);
        await catalog.RetiredAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(BundleState.Unloaded, old.State);
    }
}
