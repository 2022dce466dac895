using System.Buffers;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Dicom.Network.Durability;

namespace MiM.Bundles.Dicom.Network.Inbox.Journal;

/// <summary>
/// The inbox's write-ahead journal: the whole Part 10 file of each received instance is appended as one checksummed
/// record to a preallocated segment, and the instance is acknowledged once its record is durable.
/// <para>Why that is cheaper: writing into blocks a segment already owns and fdatasync-ing them is one device flush,
/// while a new file made durable costs the file's fsync and its directory's fsync, each a file-system journal commit.
/// Group commit (leader and followers): a committing instance whose record is written either runs the fdatasync
/// itself, on its commit task (never on a socket-reading path), covering every record written so far, or, while
/// another commit's fdatasync is running, waits for that round to end and then leads the next one for all records
/// written meanwhile. One sender pays one flush per instance and no thread hand-off; concurrent associations share
/// flushes.</para>
/// <para>Why it is crash-safe: a record counts as durable only after an fdatasync that started after its bytes (and
/// those of every record with a lower sequence) were written, so the durable records are always a prefix in sequence
/// order and recovery, reading each segment until the first torn record, finds every acknowledged one. The instance
/// file is renamed into place only after that (so no file the journal cannot restore ever appears) and is made
/// durable later by a checkpoint (file and directory fsync, then the checkpoint sequence written atomically); a
/// segment is reused only once the checkpoint has passed all of its records.</para>
/// </summary>
internal sealed class InboxJournal : IDisposable
{
    private readonly string _folder;
    private readonly long _segmentBytes;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<JournalSegment> _segments = [];
    private readonly Dictionary<long, JournalEntry> _entries = [];
    private readonly Queue<JournalEntry> _awaitingDurable = new();
    private readonly HashSet<JournalSegment> _dirty = [];
    private readonly SemaphoreSlim _checkpointing = new(1, 1);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _round;
    private TaskCompletionSource? _prefixAdvanced;
    private int _inFlight;
    private int _nextSegmentIndex;
    private bool _preparingSpare;

    // Spare segments and checkpoints made in the background (under _gate): closing waits for them, so that nothing
    // writes into the journal folder once Dispose or Abandon has returned (a restart may open it at once).
    private readonly List<Task> _background = [];
    private JournalSegment _current;
    private long _offset;
    private long _nextSequence;
    private long _writtenThrough;
    private long _durableThrough;
    private long _checkpointed;
    private int _checkpointRequested;
    private bool _closed;
    private Exception? _broken;

    private InboxJournal(string folder, long segmentBytes, long lastSequence, ILogger logger)
    {
        _folder = folder;
        _segmentBytes = segmentBytes;
        _logger = logger;
        _nextSequence = lastSequence + 1;
        _writtenThrough = _durableThrough = _checkpointed = lastSequence;
        foreach (var path in JournalSegment.Existing(folder))
        {
            _segments.Add(JournalSegment.OpenOrCreate(path, segmentBytes));
            _nextSegmentIndex = Math.Max(_nextSegmentIndex, JournalSegment.IndexOf(path) + 1);
        }

        if (_segments.Count == 0)
        {
            _segments.Add(JournalSegment.OpenOrCreate(JournalSegment.PathOf(folder, _nextSegmentIndex++), segmentBytes));
        }

        _current = _segments[0];
    }

    /// <summary>
    /// Opens the journal in <paramref name="folder"/>, first replaying into <paramref name="instancesFolder"/> every
    /// record above the checkpoint (see <see cref="JournalReplay"/>); after that every record on disk is checkpointed,
    /// so all segments are free and writing starts again at the first one.
    /// </summary>
    public static InboxJournal Open(string folder, long segmentBytes, string partialFolder, string instancesFolder, ILogger logger, out int replayed)
    {
        Directory.CreateDirectory(folder);
        var checkpoint = CheckpointFile.Read(folder);
        (replayed, var highest) = JournalReplay.Run(JournalSegment.Existing(folder), checkpoint, partialFolder, instancesFolder);
        if (highest != checkpoint)
        {
            CheckpointFile.Write(folder, highest);
        }

        return new InboxJournal(folder, segmentBytes, highest, logger);
    }

    /// <summary>Whether a file of <paramref name="length"/> bytes goes through the journal; a larger one is fsynced
    /// in place (its own flush then costs little next to its size, and a segment would hold few of them).</summary>
    public bool Accepts(long length) => length <= _segmentBytes / 4;

    /// <summary>
    /// Appends <paramref name="source"/> (the received Part 10 file) as the record for <paramref name="name"/> and
    /// returns once it is durable; null when the journal takes no more records (closed, or broken by an I/O error),
    /// so the caller makes the file durable in place instead. Throws <see cref="IOException"/> when this record could
    /// not be made durable: it must not be acknowledged.
    /// </summary>
    public async Task<JournalEntry?> AppendAsync(string name, string source)
    {
        var length = new FileInfo(source).Length;
        var header = new JournalRecordHeader(0, name, length);
        JournalEntry entry;
        long offset;
        lock (_gate)
        {
            if (_closed || _broken is not null)
            {
                return null;
            }

            if (_offset + header.RecordLength > _current.Capacity)
            {
                Roll();
            }

            _inFlight++;
            entry = new JournalEntry(_nextSequence++, _current);
            offset = _offset;
            _offset += header.RecordLength;
            _current.MaximumSequence = entry.Sequence;
            if (_offset > _current.Capacity / 2)
            {
                PrepareSpare();
            }

            _entries.Add(entry.Sequence, entry);
            _awaitingDurable.Enqueue(entry);
        }

        try
        {
            Write(entry.Segment, offset, header with { Sequence = entry.Sequence }, source);
        }
#pragma warning disable CA1031 // Any failure to write breaks the journal: later records must not be acknowledged past a hole.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Break(e);
        }

        try
        {
            MarkWritten(entry);
            await WaitUntilDurableAsync(entry).ConfigureAwait(false);
            return entry;
        }
        finally
        {
            lock (_gate)
            {
                if (--_inFlight == 0 && _closed)
                {
                    _drained.TrySetResult();
                }
            }
        }
    }

    /// <summary>Leads a group commit when none is running, else waits for the running one and tries again; returns
    /// once <paramref name="entry"/> is durable, throws once the journal broke.</summary>
    private async Task WaitUntilDurableAsync(JournalEntry entry)
    {
        while (!entry.Durable.Task.IsCompleted)
        {
            Task running;
            var lead = false;
            lock (_gate)
            {
                if (_writtenThrough < _nextSequence - 1 && _broken is null)
                {
                    // Another record is still being copied in (a fraction of a millisecond): the last writer leads,
                    // so one flush covers them all instead of this one flushing alone and the others next round.
                    _prefixAdvanced ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    running = _prefixAdvanced.Task;
                }
                else if (_round is null)
                {
                    _round = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    running = Task.CompletedTask;
                    lead = true;
                }
                else
                {
                    running = _round.Task;
                }
            }

            if (lead)
            {
                SyncOnce();
            }
            else
            {
                await running.ConfigureAwait(false);
            }
        }

        await entry.Durable.Task.ConfigureAwait(false);
    }

    /// <summary>The inbox is done with <paramref name="entry"/>: its file is at <paramref name="materialisedPath"/>
    /// (not yet durable by itself), or null when the instance was given up.</summary>
    public void Settle(JournalEntry entry, string? materialisedPath)
    {
        lock (_gate)
        {
            entry.MaterialisedPath = materialisedPath;
            entry.Settled = true;
        }
    }

    /// <summary>Checkpoints now when <paramref name="path"/> is an instance file not yet checkpointed, so that
    /// deleting it (retention) cannot be undone by a replay after a crash.</summary>
    public void CheckpointIfPending(string path)
    {
        bool pending;
        lock (_gate)
        {
            pending = _entries.Values.Any(e => e.Sequence > _checkpointed && string.Equals(e.MaterialisedPath, path, StringComparison.Ordinal));
        }

        if (pending)
        {
            Checkpoint();
        }
    }

    /// <summary>
    /// Makes the instance files of the settled prefix of records durable themselves (syncfs of the inbox's file
    /// system on Linux, else each file fsynced, then each folder), then records that prefix's last sequence as the checkpoint. Only after the checkpoint file is durable
    /// may a record be forgotten, and with it its segment space.
    /// </summary>
    public void Checkpoint()
    {
        _checkpointing.Wait();
        try
        {
            long through;
            var files = new List<string>();
            lock (_gate)
            {
                through = _checkpointed;
                while (through < _durableThrough && _entries.TryGetValue(through + 1, out var entry) && entry.Settled)
                {
                    through++;
                    if (entry.MaterialisedPath is { } path)
                    {
                        files.Add(path);
                    }
                }

                if (through == _checkpointed)
                {
                    return;
                }
            }

            // One syncfs (one file-system journal commit for all the files and their folders) where there is one;
            // elsewhere each file, then each folder, is fsynced.
            if (files.Count > 0 && !DataSync.TrySyncFileSystem(_folder))
            {
                foreach (var file in files)
                {
                    FlushIfPresent(file, DirectorySync.FlushFile);
                }

                foreach (var folder in files.Select(f => Path.GetDirectoryName(f)!).Distinct(StringComparer.Ordinal))
                {
                    FlushIfPresent(folder, DirectorySync.Flush);
                }
            }

            CheckpointFile.Write(_folder, through);
            lock (_gate)
            {
                for (var sequence = _checkpointed + 1; sequence <= through; sequence++)
                {
                    _entries.Remove(sequence);
                }

                _checkpointed = through;
            }

            JournalLog.Checkpointed(_logger, through, files.Count);
        }
        finally
        {
            _checkpointing.Release();
        }
    }

    /// <summary>Stops taking records, waits until those in flight are durable, checkpoints and closes.</summary>
    public void Dispose() => Close(checkpoint: true);

    /// <summary>Closes without the final checkpoint, leaving the journal as a crash would (for tests of recovery).</summary>
    internal void Abandon() => Close(checkpoint: false);

    private void Close(bool checkpoint)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
        }

        lock (_gate)
        {
            if (_inFlight == 0)
            {
                _drained.TrySetResult();
            }
        }

        // Records already reserved finish (durable or failed) before the segments close.
        _drained.Task.Wait();
        Task[] background;
        lock (_gate)
        {
            background = [.. _background];
        }

        // Each catches and logs its own failure.
        Task.WaitAll(background);
        if (checkpoint)
        {
            try
            {
                Checkpoint();
            }
#pragma warning disable CA1031 // Shutting down: the records stay in the journal and are replayed at the next start.
            catch (Exception e)
#pragma warning restore CA1031
            {
                JournalLog.CheckpointFailed(_logger, e);
            }
        }

        foreach (var segment in _segments)
        {
            segment.Dispose();
        }

        _checkpointing.Dispose();
    }

    private static void FlushIfPresent(string path, Action<string> flush)
    {
        try
        {
            flush(path);
        }
        catch (IOException) when (!Path.Exists(path))
        {
            // Removed since (retention): nothing left to make durable.
        }
    }

    /// <summary>Moves writing to a segment the checkpoint has passed, or to a new one. Under the lock.</summary>
    private void Roll()
    {
        var free = _segments.FirstOrDefault(s => s != _current && s.MaximumSequence <= _checkpointed);
        if (free is null)
        {
            // No spare ready (checkpoints lag behind): create one here, holding up the records behind this one.
            free = JournalSegment.OpenOrCreate(JournalSegment.PathOf(_folder, _nextSegmentIndex++), _segmentBytes);
            _segments.Add(free);
        }

        _current = free;
        _offset = 0;
        RequestCheckpoint();
    }

    /// <summary>Once the current segment is half full and no other is free, creates the next one in the background,
    /// so that rolling over does not wait for its zeros to be written. Under the lock.</summary>
    private void PrepareSpare()
    {
        if (_preparingSpare || _closed || _segments.Any(s => s != _current && s.MaximumSequence <= _checkpointed))
        {
            return;
        }

        _preparingSpare = true;
        var path = JournalSegment.PathOf(_folder, _nextSegmentIndex++);
        Track(() =>
        {
            try
            {
                var spare = JournalSegment.OpenOrCreate(path, _segmentBytes);
                lock (_gate)
                {
                    if (_closed)
                    {
                        spare.Dispose();
                    }
                    else
                    {
                        _segments.Add(spare);
                    }
                }
            }
#pragma warning disable CA1031 // Without a spare, rolling over creates the segment itself (and reports its error).
            catch (Exception e)
#pragma warning restore CA1031
            {
                JournalLog.SpareFailed(_logger, e);
            }
            finally
            {
                lock (_gate)
                {
                    _preparingSpare = false;
                }
            }
        });
    }

    private void RequestCheckpoint()
    {
        if (Interlocked.Exchange(ref _checkpointRequested, 1) == 1)
        {
            return;
        }

        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            Track(RequestedCheckpoint);
        }
    }

    private void RequestedCheckpoint()
    {
        try
        {
            Volatile.Write(ref _checkpointRequested, 0);
            Checkpoint();
        }
#pragma warning disable CA1031 // A failed checkpoint only keeps records longer; the next one retries.
        catch (Exception e)
#pragma warning restore CA1031
        {
            JournalLog.CheckpointFailed(_logger, e);
        }
    }

    /// <summary>Runs <paramref name="work"/> on the thread pool, remembered until <see cref="Close"/> has waited for it. Under the lock.</summary>
    private void Track(Action work)
    {
        _background.RemoveAll(t => t.IsCompleted);
        _background.Add(Task.Run(work));
    }

    private static void Write(JournalSegment segment, long offset, JournalRecordHeader header, string source)
    {
        var handle = segment.Stream.SafeFileHandle;
        var head = header.Encode();
        var crc = Crc32C.Append(Crc32C.Seed, head);
        RandomAccess.Write(handle, head, offset);
        var position = offset + head.Length;
        var end = position + header.DataLength;
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 18);
        try
        {
            using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            int read;
            while ((read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, end - position))) > 0)
            {
                crc = Crc32C.Append(crc, buffer.AsSpan(0, read));
                RandomAccess.Write(handle, buffer.AsSpan(0, read), position);
                position += read;
            }

            if (position != end)
            {
                throw new IOException($"{source} changed while it was journaled");
            }

            BitConverter.TryWriteBytes(buffer, Crc32C.Finish(crc));
            if (!BitConverter.IsLittleEndian)
            {
                Array.Reverse(buffer, 0, JournalRecordHeader.TrailerLength);
            }

            RandomAccess.Write(handle, buffer.AsSpan(0, JournalRecordHeader.TrailerLength), end);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void MarkWritten(JournalEntry entry)
    {
        TaskCompletionSource? advanced = null;
        lock (_gate)
        {
            entry.Written = true;
            _dirty.Add(entry.Segment);
            var before = _writtenThrough;
            while (_entries.TryGetValue(_writtenThrough + 1, out var next) && next.Written)
            {
                _writtenThrough++;
            }

            if (_writtenThrough != before)
            {
                (advanced, _prefixAdvanced) = (_prefixAdvanced, null);
            }
        }

        advanced?.TrySetResult();
    }

    /// <summary>Fails every record not yet durable and stops taking new ones: after a write or fdatasync error
    /// nothing more may be acknowledged from this journal (the page cache may no longer match the disk).</summary>
    private void Break(Exception e)
    {
        JournalEntry[] failed;
        TaskCompletionSource? prefix;
        lock (_gate)
        {
            if (_broken is null)
            {
                _broken = e;
                JournalLog.Broken(_logger, e);
            }

            failed = [.. _awaitingDurable];
            _awaitingDurable.Clear();
            prefix = _prefixAdvanced;
            _prefixAdvanced = null;
        }

        prefix?.TrySetResult();

        foreach (var entry in failed)
        {
            entry.Durable.TrySetException(new IOException("the inbox journal could not make the instance durable", e));
        }
    }

    /// <summary>One group commit, run by its leader: fdatasync of the segments written to since the last round,
    /// covering every record up to the written prefix seen before it started; then the round's followers go on.</summary>
    private void SyncOnce()
    {
        long target;
        JournalSegment[] segments;
        lock (_gate)
        {
            target = _writtenThrough;
            segments = [.. _dirty];
            _dirty.Clear();
        }

        try
        {
            Sync(target, segments);
        }
        finally
        {
            TaskCompletionSource round;
            lock (_gate)
            {
                round = _round!;
                _round = null;
            }

            round.TrySetResult();
        }
    }

    private void Sync(long target, JournalSegment[] segments)
    {
        lock (_gate)
        {
            if (_broken is not null || target <= _durableThrough)
            {
                return;
            }
        }

        try
        {
            foreach (var segment in segments)
            {
                DataSync.Flush(segment.Stream);
            }
        }
#pragma warning disable CA1031 // fsync errors are not retryable: fail the waiting records and stop journaling.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Break(e);
            return;
        }

        InboxMetrics.JournalFlushes.Add(1);
        var done = new List<JournalEntry>();
        lock (_gate)
        {
            _durableThrough = target;
            while (_awaitingDurable.TryPeek(out var head) && head.Sequence <= target)
            {
                done.Add(_awaitingDurable.Dequeue());
            }
        }

        foreach (var entry in done)
        {
            entry.Durable.TrySetResult();
        }
    }
}
