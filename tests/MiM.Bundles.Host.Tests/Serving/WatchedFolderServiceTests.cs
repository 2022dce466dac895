using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Host.Serving;
using MiM.Bundles.Host.Tests.Catalog;

namespace MiM.Bundles.Host.Tests.Serving;

public sealed class WatchedFolderServiceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_copy_that_kept_its_source_modification_time_is_imported_only_after_staying_unchanged_for_the_settle_time()
    {
        using var inbox = new DurableInbox(new InboxOptions { Root = _temp.Sub("inbox"), MinimumFreeBytes = 0 });
        var watch = _temp.Sub("watch");
        var file = Assert.Single(TestInstances.MakeCt(watch, 1, size: 16));
        var old = DateTime.UtcNow.AddHours(-1);
        var whole = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(file, whole[..(whole.Length / 2)]); // half copied, stamped like `cp -p` would
        File.SetLastWriteTimeUtc(file, old);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var service = new WatchedFolderService(inbox, Options.Create(new ServeOptions { WatchFolder = watch }), time, NullLogger<WatchedFolderService>.Instance);

        Assert.Equal(0, await service.ImportOnceAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(1));
        await File.WriteAllBytesAsync(file, whole); // the copy goes on; the old time is stamped again
        File.SetLastWriteTimeUtc(file, old);
        time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(0, await service.ImportOnceAsync(CancellationToken.None)); // changed since last seen: wait again
        Assert.True(File.Exists(file));

        time.Advance(WatchedFolderService.Settle);
        Assert.Equal(1, await service.ImportOnceAsync(CancellationToken.None));
        Assert.False(File.Exists(file));
        var stored = Assert.Single(inbox.EnumerateCommitted());
        Assert.Equal(WatchedFolderService.CallingAeTitle, stored.CallingAeTitle);
    }

    [Fact]
    public void A_quiet_period_that_a_folder_import_could_outlast_is_refused_naming_the_setting()
    {
        var watch = _temp.Sub("watch");
        Directory.CreateDirectory(watch);
        var result = new ServeOptionsValidator().Validate(null, new ServeOptions { WatchFolder = watch, QuietPeriodSeconds = 2 });
        Assert.True(result.Failed);
        Assert.Contains("Mim:Serve:QuietPeriodSeconds: 2 s is too short with a watched folder", result.FailureMessage, StringComparison.Ordinal);

        Assert.DoesNotContain("QuietPeriodSeconds", new ServeOptionsValidator().Validate(null, new ServeOptions { WatchFolder = watch, QuietPeriodSeconds = 4 }).FailureMessage ?? "", StringComparison.Ordinal);
    }
}
