using MiM.Bundles.Host.Running;

namespace MiM.Bundles.Host.Tests.Running;

public sealed class DeviceSchedulerTests
{
    private static DeviceScheduler TwoGpus() => new([new ComputeDevice("cuda:0", 1000), new ComputeDevice("cuda:1", 1000)]);

    [Fact]
    public void The_default_is_the_cpu_alone()
    {
        var scheduler = DeviceScheduler.CpuOnly();
        Assert.Equal("cpu", Assert.Single(scheduler.Devices).Name);
        Assert.Equal("cpu", scheduler.Place());
    }

    [Fact]
    public async Task A_job_waits_until_its_device_has_the_memory_and_a_new_bundle_goes_where_most_is_free()
    {
        var scheduler = TwoGpus();
        var first = await scheduler.AcquireAsync("cuda:0", 600, CancellationToken.None);
        Assert.Equal("cuda:1", scheduler.Place());

        var second = scheduler.AcquireAsync("cuda:0", 600, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(second.IsCompleted);
        Assert.Equal(400, scheduler.FreeBytes("cuda:0"));

        first.Dispose();
        using var granted = await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(400, scheduler.FreeBytes("cuda:0"));
        Assert.Equal(1000, scheduler.FreeBytes("cuda:1"));
    }

    [Fact]
    public async Task A_job_larger_than_its_device_is_refused_and_a_waiting_one_can_be_cancelled()
    {
        var scheduler = TwoGpus();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => scheduler.AcquireAsync("cuda:1", 2000, CancellationToken.None));
        Assert.Equal("the job needs 2000 bytes on cuda:1, which has 1000", error.Message);

        using var all = await scheduler.AcquireAsync("cuda:1", 1000, CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scheduler.AcquireAsync("cuda:1", 1, cancel.Token));
    }
}
