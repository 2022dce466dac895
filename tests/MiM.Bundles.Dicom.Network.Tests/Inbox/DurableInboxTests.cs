using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Network.Inbox;
using static MiM.Bundles.Dicom.Network.Tests.Inbox.ImplicitDataSet;

namespace MiM.Bundles.Dicom.Network.Tests.Inbox;

public sealed class DurableInboxTests : IDisposable
{
    private const string Study = "1.2.826.0.1.1";
    private const string Series = "1.2.826.0.1.1.2";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mim-inbox-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private DurableInbox Open(long minimumFree = 0) => new(new InboxOptions { Root = _root, MinimumFreeBytes = minimumFree });

    private static void AssertFileEndsWith(byte[] expected, string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(expected, bytes[^expected.Length..]);
    }

    private IEnumerable<string> AllFiles() => InboxFiles.All(_root);

    [Fact]
    public async Task Committed_instance_is_a_readable_part10_file_under_study_and_series_with_the_received_bytes()
    {
        var inbox = Open();
        byte[] pixels = [9, 8, 7, 6, 5, 4];
        var outcome = await StoreAsync(inbox, Study, Series, "1.2.3", pixels);

        Assert.Equal(StoreStatus.Stored, outcome.Status);
        Assert.Equal(Path.Combine(_root, "instances", Study, Series, "1.2.3.dcm"), outcome.FilePath);
        var file = DicomFile.Open(outcome.FilePath!, new DicomReadOptions { PixelData = PixelDataReading.Load });
        Assert.Equal("1.2.3", file.Dataset.GetUid(Core.DicomTag.SopInstanceUid));
        Assert.Equal(ImplicitLittleEndian, file.TransferSyntax.Uid);
        AssertFileEndsWith(Build("1.2.3", Study, Series, pixels), outcome.FilePath!);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".partial")));
        Assert.Equal(outcome.FilePath, inbox.Find("1.2.3"));
    }

    [Fact]
    public async Task Store_is_acknowledged_only_after_the_file_is_at_its_final_path_and_partial_data_is_never_visible()
    {
        var inbox = Open();
        var dataSet = Build("1.2.5", Study, Series, new byte[4096]);
        var final = Path.Combine(inbox.InstancesFolder, Study, Series, "1.2.5.dcm");
        await using var incoming = await inbox.BeginAsync(new IncomingInstanceInfo(CtImageStorage, "1.2.5", ImplicitLittleEndian, "SENDER", "MIM"), default);
        await incoming.WriteAsync(dataSet.AsMemory(0, 1000), default);

        // Mid-instance: bytes exist only in the partial folder, nothing under instances/.
        Assert.Empty(Directory.EnumerateFiles(inbox.InstancesFolder, "*", SearchOption.AllDirectories));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_root, ".partial")));

        await incoming.WriteAsync(dataSet.AsMemory(1000), default);
        var outcome = await incoming.CommitAsync(default);

        // When the commit returns, the complete file is at its final path (the rename happened before the fsyncs).
        Assert.Equal(StoreStatus.Stored, outcome.Status);
        Assert.True(File.Exists(final));
        AssertFileEndsWith(dataSet, final);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".partial")));
    }

    [Fact]
    public async Task Instance_disposed_without_commit_leaves_no_file()
    {
        var inbox = Open();
        await using (var incoming = await inbox.BeginAsync(new IncomingInstanceInfo(CtImageStorage, "1.2.4", ImplicitLittleEndian, "SENDER", "MIM"), default))
        {
            await incoming.WriteAsync(new byte[100], default);
        }

        Assert.Empty(AllFiles());
    }

    [Fact]
    public async Task Sop_instance_uid_that_is_not_a_uid_is_refused_and_never_becomes_a_path()
    {
        var inbox = Open();
        await using var incoming = await inbox.BeginAsync(new IncomingInstanceInfo(CtImageStorage, "../../etc/x", ImplicitLittleEndian, "SENDER", "MIM"), default);
        var outcome = await incoming.CommitAsync(default);

        Assert.Equal(StoreStatus.Failed, outcome.Status);
        Assert.Empty(AllFiles());
    }

    [Fact]
    public async Task A_removed_instance_is_forgotten_so_that_sending_it_again_stores_it_anew_and_empty_folders_go()
    {
        using var inbox = Open();
        var first = await StoreAsync(inbox, Study, Series, "1.2.9.1");
        var second = await StoreAsync(inbox, Study, Series, "1.2.9.2");

        Assert.True(inbox.Remove("1.2.9.1"));
        Assert.False(File.Exists(first.FilePath));
        Assert.Null(inbox.Find("1.2.9.1"));
        Assert.False(inbox.Remove("1.2.9.1"));
        Assert.True(inbox.Remove("1.2.9.2"));
        Assert.False(Directory.Exists(Path.GetDirectoryName(second.FilePath)));
        Assert.False(Directory.Exists(Path.GetDirectoryName(Path.GetDirectoryName(second.FilePath))));

        var again = await StoreAsync(inbox, Study, Series, "1.2.9.1");
        Assert.Equal(StoreStatus.Stored, again.Status);
        Assert.True(File.Exists(again.FilePath));
    }

    [Fact]
    public async Task Store_is_refused_with_out_of_resources_before_writing_when_free_disk_is_below_the_threshold()
    {
        var inbox = Open(minimumFree: long.MaxValue);
        var outcome = await StoreAsync(inbox, Study, Series, "1.2.6");

        Assert.Equal(StoreStatus.OutOfResources, outcome.Status);
        Assert.Null(outcome.FilePath);
        Assert.Empty(AllFiles());
        Assert.Equal(1, inbox.OutOfResourcesCount);
    }

    [Fact]
    public async Task Duplicate_sent_again_is_stored_once_and_the_first_copy_is_kept_even_when_contents_differ()
    {
        var inbox = Open();
        var first = await StoreAsync(inbox, Study, Series, "1.2.7", [1, 1]);
        var same = await StoreAsync(inbox, Study, Series, "1.2.7", [1, 1], callingAe: "OTHER");
        var different = await StoreAsync(inbox, Study, Series, "1.2.7", [2, 2]);

        Assert.Equal(StoreStatus.Stored, first.Status);
        Assert.Equal((StoreStatus.Duplicate, first.FilePath, (string?)null), (same.Status, same.FilePath, same.Reason));
        Assert.Equal(StoreStatus.Duplicate, different.Status);
        Assert.Contains("differs", different.Reason, StringComparison.Ordinal);
        Assert.Single(Directory.EnumerateFiles(inbox.InstancesFolder, "*", SearchOption.AllDirectories));
        AssertFileEndsWith(Build("1.2.7", Study, Series, [1, 1]), first.FilePath!);
        Assert.Equal((1L, 2L, 1L), (inbox.StoredCount, inbox.DuplicateCount, inbox.DuplicatesDiffering));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".partial")));
    }

    [Fact]
    public async Task Same_instance_arriving_on_two_associations_at_once_is_stored_once_and_both_are_acknowledged()
    {
        var inbox = Open();
        const int uids = 40;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, uids * 2).Select(i => Task.Run(() => StoreAsync(inbox, Study, Series, "1.2.8." + (i % uids)))));

        foreach (var group in outcomes.GroupBy(o => o.FilePath))
        {
            Assert.Equal([StoreStatus.Stored, StoreStatus.Duplicate], group.Select(o => o.Status).Order());
        }

        Assert.Equal(uids, Directory.EnumerateFiles(inbox.InstancesFolder, "*", SearchOption.AllDirectories).Count());
        Assert.Equal(uids, inbox.StoredCount);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".partial")));
    }

    [Fact]
    public async Task Duplicate_is_recognised_after_a_restart()
    {
        var first = Open();
        var before = await StoreAsync(first, Study, Series, "1.2.9");
        first.Dispose(); // the first process is gone: the folder's lock with it
        var reopened = Open();
        var after = await StoreAsync(reopened, "1.2.826.0.1.9", "1.2.826.0.1.9.1", "1.2.9");

        Assert.Equal(StoreStatus.Duplicate, after.Status);
        Assert.Equal(before.FilePath, after.FilePath);
        Assert.Equal(1, reopened.Count);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("no-series")]
    [InlineData("bad-study-uid")]
    [InlineData("other-sop-uid")]
    public async Task Instance_whose_header_cannot_be_filed_goes_to_failed_with_a_reason(string fault)
    {
        var inbox = Open();
        var dataSet = fault switch
        {
            "garbage" => [0x08, 0x00, 0x18, 0x00, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3],
            "no-series" => Build("1.2.10", Study, null),
            "bad-study-uid" => Build("1.2.10", "1.2/../../x", Series),
            _ => Build("1.2.99", Study, Series),
        };
        var outcome = await StoreAsync(inbox, dataSet, "1.2.10");

        Assert.Equal(StoreStatus.Failed, outcome.Status);
        Assert.NotNull(outcome.Reason);
        Assert.Equal(inbox.FailedFolder, Path.GetDirectoryName(outcome.FilePath));
        AssertFileEndsWith(dataSet, outcome.FilePath!);
        var reason = File.ReadAllText(Path.ChangeExtension(outcome.FilePath!, ".reason.txt"));
        Assert.Contains(outcome.Reason, reason, StringComparison.Ordinal);
        Assert.Contains("calling-ae-title: SENDER", reason, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(inbox.InstancesFolder, "*", SearchOption.AllDirectories));
        Assert.Null(inbox.Find("1.2.10"));
        Assert.Equal(1, inbox.FailedCount);
    }

    [Fact]
    public async Task Reopening_after_a_crash_removes_partial_files_and_rebuilds_the_index_from_disk()
    {
        var crashed = Open();
        var kept = await StoreAsync(crashed, Study, Series, "1.2.11");
        // A crash mid-instance: begun and written, never committed nor disposed.
        var abandoned = await crashed.BeginAsync(new IncomingInstanceInfo(CtImageStorage, "1.2.12", ImplicitLittleEndian, "SENDER", "MIM"), default);
        await abandoned.WriteAsync(Build("1.2.12", Study, Series), default);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_root, ".partial")));
        GC.KeepAlive(abandoned);
        crashed.Dispose(); // the crashed process's lock went with it (the OS releases it)

        var reopened = Open();

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".partial")));
        Assert.Equal(1, reopened.Count);
        Assert.Equal(kept.FilePath, reopened.Find("1.2.11"));
        Assert.Null(reopened.Find("1.2.12"));
        var described = Assert.Single(reopened.EnumerateCommitted());
        Assert.Equal((Study, Series, "1.2.11", "SENDER", kept.FilePath), (described.StudyInstanceUid, described.SeriesInstanceUid, described.SopInstanceUid, described.CallingAeTitle, described.FilePath));
        Assert.Equal(StoreStatus.Stored, (await StoreAsync(reopened, Study, Series, "1.2.12")).Status);
    }

    [Fact]
    public async Task Each_stored_instance_is_announced_once_with_its_uids_path_and_caller()
    {
        var inbox = Open();
        var announced = new List<CommittedInstance>();
        inbox.InstanceCommitted += (_, instance) => announced.Add(instance);

        var stored = await StoreAsync(inbox, Study, Series, "1.2.13", callingAe: "CT01");
        await StoreAsync(inbox, Study, Series, "1.2.13", callingAe: "CT01");
        await StoreAsync(inbox, Build("1.2.14", Study, null), "1.2.14");

        var instance = Assert.Single(announced);
        Assert.Equal(new CommittedInstance(Study, Series, "1.2.13", CtImageStorage, stored.FilePath!, "CT01"), instance);
    }

    [Fact]
    public async Task A_failing_listener_does_not_turn_a_durable_store_into_a_failure()
    {
        var inbox = Open();
        inbox.InstanceCommitted += (_, _) => throw new InvalidOperationException("listener bug");

        var outcome = await StoreAsync(inbox, Study, Series, "1.2.15");

        Assert.Equal(StoreStatus.Stored, outcome.Status);
        Assert.True(File.Exists(outcome.FilePath));
    }
}
