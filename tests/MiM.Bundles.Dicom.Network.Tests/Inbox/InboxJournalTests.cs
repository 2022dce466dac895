using System.Buffers.Binary;
using MiM.Bundles.Dicom.Network.Inbox;
using static MiM.Bundles.Dicom.Network.Tests.Inbox.ImplicitDataSet;

namespace MiM.Bundles.Dicom.Network.Tests.Inbox;

/// <summary>
/// The inbox journal: an instance is acknowledged once its journal record is durable and its own file is made durable
/// later, so a crash may lose or truncate that file. These tests play the crash (<see cref="DurableInbox.Abandon"/>
/// leaves the journal without a checkpoint, as a kill does) plus what a power loss can do to files that were never
/// fsynced, and check that the next start restores every acknowledged instance exactly.
/// </summary>
public sealed class InboxJournalTests : IDisposable
{
    private const string Study = "1.2.826.0.1.7";
    private const string Series = "1.2.826.0.1.7.2";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mim-journal-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private DurableInbox Open(long segmentBytes = 1 << 20) => new(new InboxOptions { Root = _root, MinimumFreeBytes = 0, JournalSegmentBytes = segmentBytes });

    private string Journal => Path.Combine(_root, ".journal");

    [Fact]
    public async Task Acknowledged_instance_whose_file_a_crash_lost_is_restored_from_the_journal_byte_for_byte()
    {
        var crashed = Open();
        var stored = await StoreAsync(crashed, Study, Series, "1.2.40", pixels: [1, 2, 3, 4, 5, 6]);
        Assert.Equal(StoreStatus.Stored, stored.Status);
        var bytes = File.ReadAllBytes(stored.FilePath!);
        File.Delete(stored.FilePath!); // the rename never reached the disk
        crashed.Abandon();

        var reopened = Open();

        Assert.Equal(bytes, File.ReadAllBytes(stored.FilePath!));
        Assert.Equal(stored.FilePath, reopened.Find("1.2.40"));
        Assert.Equal(StoreStatus.Duplicate, (await StoreAsync(reopened, Study, Series, "1.2.40", pixels: [1, 2, 3, 4, 5, 6])).Status);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".partial")));
    }

    [Fact]
    public async Task Acknowledged_instance_whose_file_a_crash_left_empty_is_rewritten_from_the_journal()
    {
        var crashed = Open();
        var stored = await StoreAsync(crashed, Study, Series, "1.2.41");
        var bytes = File.ReadAllBytes(stored.FilePath!);
        File.WriteAllBytes(stored.FilePath!, []); // the name survived, the unsynced data did not
        crashed.Abandon();

        using var reopened = Open();

        Assert.Equal(bytes, File.ReadAllBytes(stored.FilePath!));
        var described = Assert.Single(reopened.EnumerateCommitted());
        Assert.Equal(("1.2.41", Study, Series), (described.SopInstanceUid, described.StudyInstanceUid, described.SeriesInstanceUid));
    }

    [Fact]
    public async Task Every_instance_acknowledged_to_concurrent_associations_survives_a_crash_that_lost_all_their_files()
    {
        var crashed = Open(segmentBytes: 64 << 20);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(association => Task.Run(async () =>
        {
            var stored = new List<(StoreOutcome Outcome, byte[] Bytes)>();
            for (var i = 0; i < 12; i++)
            {
                var outcome = await StoreAsync(crashed, Study, Series, $"1.2.42.{association}.{i}", pixels: new byte[2048]);
                stored.Add((outcome, File.ReadAllBytes(outcome.FilePath!)));
            }

            return stored;
        })));
        var all = outcomes.SelectMany(o => o).ToList();
        Assert.All(all, o => Assert.Equal(StoreStatus.Stored, o.Outcome.Status));
        foreach (var (outcome, _) in all)
        {
            File.Delete(outcome.FilePath!);
        }

        crashed.Abandon();

        using var reopened = Open(segmentBytes: 64 << 20);

        Assert.Equal(96, reopened.Count);
        Assert.All(all, o => Assert.Equal(o.Bytes, File.ReadAllBytes(o.Outcome.FilePath!)));
    }

    [Fact]
    public async Task Instances_over_many_segments_all_survive_a_crash_and_checkpointed_segments_are_reused()
    {
        // 16 KiB segments hold about seven of these instances (each under the quarter of a segment the journal takes): many roll-overs, checkpoints and reuses.
        var crashed = Open(segmentBytes: 16 << 10);
        var stored = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            stored.Add((await StoreAsync(crashed, Study, Series, $"1.2.43.{i}", pixels: new byte[2000])).FilePath!);
        }

        crashed.Abandon();

        using var reopened = Open(segmentBytes: 16 << 10);

        Assert.Equal(60, reopened.Count);
        Assert.All(stored, path => Assert.True(new FileInfo(path).Length > 2000, path));
        Assert.InRange(Directory.EnumerateFiles(Journal, "segment-*.wal").Count(), 2, 20);
    }

    [Fact]
    public async Task Torn_last_record_is_ignored_and_the_whole_records_before_it_are_replayed()
    {
        var crashed = Open();
        var first = await StoreAsync(crashed, Study, Series, "1.2.44");
        var second = await StoreAsync(crashed, Study, Series, "1.2.45");
        File.Delete(first.FilePath!);
        File.Delete(second.FilePath!);
        crashed.Abandon();
        // Tear the second record: a byte of its data is not what was written (its CRC no longer matches).
        var segment = Directory.EnumerateFiles(Journal, "segment-*.wal").Single();
        var bytes = File.ReadAllBytes(segment);
        var secondStart = NextRecord(bytes, 0);
        bytes[secondStart + 100] ^= 0xFF;
        File.WriteAllBytes(segment, bytes);

        using var reopened = Open();

        Assert.True(File.Exists(first.FilePath));
        Assert.False(File.Exists(second.FilePath));
        Assert.Equal(1, reopened.Count);
    }

    [Fact]
    public async Task Clean_close_checkpoints_so_that_the_next_start_replays_nothing()
    {
        var closed = Open();
        var stored = await StoreAsync(closed, Study, Series, "1.2.46");
        closed.Dispose();
        File.Delete(stored.FilePath!); // gone after the checkpoint: nothing may bring it back

        using var reopened = Open();

        Assert.False(File.Exists(stored.FilePath));
        Assert.Equal(0, reopened.Count);
    }

    [Fact]
    public async Task Instance_removed_by_retention_is_not_brought_back_by_a_replay_after_a_crash()
    {
        var crashed = Open();
        var kept = await StoreAsync(crashed, Study, Series, "1.2.47");
        var removed = await StoreAsync(crashed, Study, Series, "1.2.48");
        Assert.True(crashed.Remove("1.2.48"));
        crashed.Abandon();

        using var reopened = Open();

        Assert.Null(reopened.Find("1.2.48"));
        Assert.False(File.Exists(removed.FilePath));
        Assert.Equal(kept.FilePath, reopened.Find("1.2.47"));
    }

    [Fact]
    public async Task Without_a_journal_instances_are_fsynced_in_place_and_no_journal_folder_is_made()
    {
        using var inbox = Open(segmentBytes: 0);

        var stored = await StoreAsync(inbox, Study, Series, "1.2.49");

        Assert.Equal(StoreStatus.Stored, stored.Status);
        Assert.True(File.Exists(stored.FilePath));
        Assert.False(Directory.Exists(Journal));
    }

    // Record layout: magic u32, sequence u64, data length u64, name length u16, name, data, CRC u32.
    private static int NextRecord(byte[] segment, int offset)
        => offset + 22 + BinaryPrimitives.ReadUInt16LittleEndian(segment.AsSpan(offset + 20)) + (int)BinaryPrimitives.ReadInt64LittleEndian(segment.AsSpan(offset + 12)) + 4;
}
