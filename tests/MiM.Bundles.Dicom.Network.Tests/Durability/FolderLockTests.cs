using System.Diagnostics;
using MiM.Bundles.Dicom.Network.Durability;

namespace MiM.Bundles.Dicom.Network.Tests.Durability;

public sealed class FolderLockTests : IDisposable
{
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "mim-lock-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_lock_released_within_the_grace_is_taken()
    {
        var first = FolderLock.TryAcquire(_folder, TimeSpan.Zero);
        Assert.NotNull(first);
        var release = Task.Run(async () =>
        {
            await Task.Delay(200);
            first.Dispose();
        });

        using var second = FolderLock.TryAcquire(_folder, TimeSpan.FromSeconds(10));

        Assert.NotNull(second);
        await release;
    }

    [Fact]
    public void A_lock_held_past_the_grace_is_refused_after_the_grace()
    {
        using var first = FolderLock.TryAcquire(_folder, TimeSpan.Zero);
        Assert.NotNull(first);
        var clock = Stopwatch.StartNew();

        var second = FolderLock.TryAcquire(_folder, TimeSpan.FromMilliseconds(300));

        Assert.Null(second);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300), $"refused after {clock.Elapsed}");
    }
}
