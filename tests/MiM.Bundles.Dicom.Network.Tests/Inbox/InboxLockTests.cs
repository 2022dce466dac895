using System.Diagnostics;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.Tests.Peers;

namespace MiM.Bundles.Dicom.Network.Tests.Inbox;

/// <summary>One inbox per folder: a second listener on the same folder is refused, in this process or another.</summary>
public sealed class InboxLockTests : IDisposable
{
    private readonly TempFolder _temp = new("inbox-lock");

    public void Dispose() => _temp.Dispose();

    private DurableInbox Open() => new(new InboxOptions { Root = _temp.Path, MinimumFreeBytes = 0 });

    [Fact]
    public void Second_inbox_on_the_same_folder_is_refused_naming_it_and_opens_once_the_first_is_disposed()
    {
        var first = Open();

        var refused = Assert.Throws<IOException>(Open);
        Assert.Contains(_temp.Path, refused.Message, StringComparison.Ordinal);
        Assert.Contains("in use", refused.Message, StringComparison.Ordinal);

        first.Dispose();
        using var second = Open();
        Assert.Equal(0, second.Count);
    }

    [Fact]
    public async Task Disposed_inbox_accepts_no_new_instance()
    {
        var inbox = Open();
        inbox.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await inbox.BeginAsync(new IncomingInstanceInfo("1.2.840.10008.5.1.4.1.1.2", "1.2.3", "1.2.840.10008.1.2", "A", "B"), default));
    }

    [Fact]
    public void Folder_held_by_another_process_is_refused_and_free_again_after_that_process_is_killed()
    {
        // flock(1) from util-linux takes the same lock (flock(2) on the folder) as the inbox does on Unix.
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/flock"))
        {
            return;
        }

        var holder = PeerProcess.Start("/usr/bin/flock", "--exclusive", "--nonblock", _temp.Path, "sh", "-c", "echo locked; exec sleep 60");
        try
        {
            holder.WaitForOutput("locked", TimeSpan.FromSeconds(10));
            Assert.Throws<IOException>(Open);
        }
        finally
        {
            holder.Dispose(); // killed, as a crash would be: the OS releases its lock
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var inbox = Open();
                return;
            }
            catch (IOException) when (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(50);
            }
        }
    }
}
