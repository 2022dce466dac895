using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Network.Durability;
using MiM.Bundles.Dicom.Network.Inbox.Journal;
using MiM.Bundles.Dicom.Network.Logging;

namespace MiM.Bundles.Dicom.Network.Inbox;

/// <summary>
/// The durable inbox, the only place received data is made durable. Each instance is written to a temporary file and
/// its header parsed; with the journal enabled the whole file is appended to the inbox journal (<see cref="InboxJournal"/>) and, once that
/// record is durable (one fdatasync shared by every association committing at that moment), renamed to
/// <c>instances/&lt;StudyUID&gt;/&lt;SeriesUID&gt;/&lt;SOPInstanceUID&gt;.dcm</c> before the commit returns. The file itself
/// is fsynced later by a journal checkpoint; a crash before that is repaired at the next start by replaying the
/// journal. Without a journal (<see cref="InboxOptions.JournalSegmentBytes"/> 0, the default) or for very large
/// instances the temporary file is fsynced, renamed and the directory fsynced before the commit returns. A SOP Instance UID is stored once: the first commit wins, across
/// concurrent associations and restarts; a later copy is a <see cref="StoreStatus.Duplicate"/> and is discarded
/// even when its data set differs (that is logged as a warning and counted in <see cref="DuplicatesDiffering"/>).
/// Instances whose header cannot be parsed go to <c>failed/</c> with a <c>.reason.txt</c> next to them.
/// One inbox object per folder, machine-wide: it holds an exclusive OS lock on the root folder (flock on Unix, a
/// <c>.lock</c> file elsewhere) until <see cref="Dispose"/> or until its process ends, crash included, so that two
/// listeners never file into one folder.
/// </summary>
public sealed class DurableInbox : IInstanceStore, IDisposable
{
    private readonly InboxOptions _options;
    private readonly ILogger _logger;
    private readonly string _partial;
    private readonly string _instances;
    private readonly string _failed;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<string?>> _committing = new(StringComparer.Ordinal);
    private readonly HashSet<string> _knownDirectories = new(StringComparer.Ordinal);
    private readonly FolderLock _lock;
    private readonly InboxJournal? _journal;
    private bool _disposed;
    private long _stored;
    private long _duplicates;
    private long _duplicatesDiffering;
    private long _failedCount;
    private long _outOfResources;

    /// <summary>Opens (creating when needed) the inbox without logging; see <see cref="DurableInbox(InboxOptions, ILogger{DurableInbox})"/>.</summary>
    public DurableInbox(InboxOptions options)
        : this(options, NullLogger<DurableInbox>.Instance)
    {
    }

    /// <summary>
    /// Opens (creating when needed) the inbox: partial files a crash left behind are removed and the index of stored
    /// SOP Instance UIDs is rebuilt from the files on disk. Throws <see cref="IOException"/> naming the folder when
    /// another inbox (in this process or another) has it open.
    /// </summary>
    public DurableInbox(InboxOptions options, ILogger<DurableInbox> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _logger = logger;
        _partial = Path.Combine(options.Root, ".partial");
        _instances = Path.Combine(options.Root, "instances");
        _failed = Path.Combine(options.Root, "failed");
        Directory.CreateDirectory(options.Root);
        _lock = AcquireLock(options.Root);
        Directory.CreateDirectory(_partial);
        Directory.CreateDirectory(_instances);
        var partials = 0;
        foreach (var leftover in Directory.EnumerateFiles(_partial))
        {
            // Never acknowledged: a commit acknowledges only after the rename out of this folder.
            File.Delete(leftover);
            partials++;
        }

        if (options.JournalSegmentBytes > 0)
        {
            // Replays acknowledged instances whose own files a crash may have lost, before the index is built.
            _journal = InboxJournal.Open(Path.Combine(options.Root, ".journal"), options.JournalSegmentBytes, _partial, _instances, logger, out var replayed);
            if (replayed > 0)
            {
                JournalLog.Replayed(_logger, replayed);
            }
        }

        RebuildIndex();
        InboxLog.Opened(_logger, options.Root, _index.Count, partials);
    }

    /// <summary>
    /// Checkpoints and closes the journal and releases the folder's lock; later <see cref="BeginAsync"/> calls throw
    /// <see cref="ObjectDisposedException"/>. Instances already begun may still be committed (fsynced in place).
    /// </summary>
    public void Dispose() => Close(abandon: false);

    /// <summary>Closes as a kill would leave things: the journal is not checkpointed (for tests of recovery).</summary>
    internal void Abandon() => Close(abandon: true);

    private void Close(bool abandon)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        if (abandon)
        {
            _journal?.Abandon();
        }
        else
        {
            _journal?.Dispose();
        }

        _lock.Dispose();
    }

    /// <summary>Raised after an instance was stored (never for a duplicate or a failure), on the committing thread;
    /// a handler's exception is logged and does not undo the store.</summary>
    public event EventHandler<CommittedInstance>? InstanceCommitted;

    /// <summary>The folder holding committed instances, as <c>&lt;StudyUID&gt;/&lt;SeriesUID&gt;/&lt;SOPInstanceUID&gt;.dcm</c>.</summary>
    public string InstancesFolder => _instances;

    /// <summary>The folder holding instances that could not be filed (each with a <c>.reason.txt</c>).</summary>
    public string FailedFolder => _failed;

    /// <summary>How many SOP instances the inbox holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>Instances stored since the inbox was opened.</summary>
    public long StoredCount => Interlocked.Read(ref _stored);

    /// <summary>Duplicates answered since the inbox was opened (including those in <see cref="DuplicatesDiffering"/>).</summary>
    public long DuplicateCount => Interlocked.Read(ref _duplicates);

    /// <summary>Duplicates whose data set differed from the stored copy (the stored copy was kept).</summary>
    public long DuplicatesDiffering => Interlocked.Read(ref _duplicatesDiffering);

    /// <summary>Instances moved to the failed folder since the inbox was opened.</summary>
    public long FailedCount => Interlocked.Read(ref _failedCount);

    /// <summary>Instances refused for lack of disk space since the inbox was opened.</summary>
    public long OutOfResourcesCount => Interlocked.Read(ref _outOfResources);

    /// <summary>The stored file of a SOP instance, or null.</summary>
    public string? Find(string sopInstanceUid)
    {
        lock (_gate)
        {
            return _index.GetValueOrDefault(sopInstanceUid);
        }
    }

    /// <summary>
    /// Deletes a stored instance and forgets its UID (retention), so that the same instance sent again later is stored
    /// anew instead of being answered as a duplicate. Returns false when it was not stored. Empty series and study
    /// folders are removed too.
    /// </summary>
    public bool Remove(string sopInstanceUid)
    {
        string? path;
        if (Find(sopInstanceUid) is { } stored)
        {
            // A replay after a crash must not bring back what retention deleted.
            _journal?.CheckpointIfPending(stored);
        }

        lock (_gate)
        {
            if (!_index.Remove(sopInstanceUid, out path))
            {
                return false;
            }

            File.Delete(path);
            var series = Path.GetDirectoryName(path)!;
            foreach (var folder in (string[])[series, Path.GetDirectoryName(series)!])
            {
                if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    Directory.Delete(folder);
                    _knownDirectories.Remove(folder);
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Describes the stored instances (reading each header), for consumers rebuilding their state after a restart;
    /// <paramref name="include"/> filters by SOP Instance UID before any file is read. Unreadable files are skipped.
    /// </summary>
    public IEnumerable<CommittedInstance> EnumerateCommitted(Func<string, bool>? include = null)
    {
        KeyValuePair<string, string>[] snapshot;
        lock (_gate)
        {
            snapshot = [.. _index];
        }

        foreach (var (sop, path) in snapshot)
        {
            if (include is not null && !include(sop))
            {
                continue;
            }

            InstanceHeader? header;
            string? reason;
            try
            {
                header = InstanceHeader.TryRead(path, out reason, _options.OpenRead);
            }
            catch (IOException e)
            {
                (header, reason) = (null, e.Message);
            }

            if (header is null)
            {
                InboxLog.Ignored(_logger, path, LogText.Text(reason ?? "unreadable"));
                continue;
            }

            yield return new CommittedInstance(header.StudyInstanceUid, header.SeriesInstanceUid, sop, header.SopClassUid ?? string.Empty, path, header.SourceAeTitle ?? string.Empty);
        }
    }

    /// <inheritdoc />
    public ValueTask<IIncomingInstance> BeginAsync(IncomingInstanceInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
        }

        if (!DicomUidSyntax.IsValid(info.SopInstanceUid))
        {
            // The UID becomes a file name: never let a sender choose a path.
            return Refuse(info, StoreStatus.Failed, $"SOP Instance UID '{info.SopInstanceUid}' is not a valid UID");
        }

        var free = new DriveInfo(Path.GetFullPath(_options.Root)).AvailableFreeSpace;
        if (free < _options.MinimumFreeBytes)
        {
            Interlocked.Increment(ref _outOfResources);
            InboxMetrics.OutOfResources.Add(1);
            return Refuse(info, StoreStatus.OutOfResources, $"free disk {free} bytes is below the inbox threshold {_options.MinimumFreeBytes}");
        }

        return ValueTask.FromResult<IIncomingInstance>(new IncomingFile(this, info));
    }

    private ValueTask<IIncomingInstance> Refuse(IncomingInstanceInfo info, StoreStatus status, string reason)
    {
        InboxLog.Refused(_logger, LogText.Peer(info.SopInstanceUid), LogText.Peer(info.CallingAeTitle), LogText.Text(reason));
        return ValueTask.FromResult<IIncomingInstance>(new RefusedInstance(new StoreOutcome(status, null, reason)));
    }

    private static FolderLock AcquireLock(string root)
        => FolderLock.TryAcquire(root, TimeSpan.FromSeconds(1))
           ?? throw new IOException($"the inbox folder {Path.GetFullPath(root)} is in use by another listener (it is locked); two listeners must not file into one folder");

    private void RebuildIndex()
    {
        foreach (var file in Directory.EnumerateFiles(_instances, "*.dcm", SearchOption.AllDirectories))
        {
            var sop = Path.GetFileNameWithoutExtension(file);
            if (!DicomUidSyntax.IsValid(sop))
            {
                InboxLog.Ignored(_logger, file, "the file name is not a SOP Instance UID");
            }
            else if (!_index.TryAdd(sop, file))
            {
                InboxLog.Ignored(_logger, file, $"SOP Instance UID already stored at {_index[sop]}");
            }
        }
    }

    /// <summary>Files a committed temporary file: the first commit of a SOP Instance UID wins; later ones wait for
    /// it (so a duplicate is acknowledged only once the first copy is durable) and become duplicates.</summary>
    private async Task<StoreOutcome> FileInstanceAsync(string temporary, IncomingInstanceInfo info, InstanceHeader header)
    {
        var uid = info.SopInstanceUid;
        while (true)
        {
            Task<string?>? other;
            TaskCompletionSource<string?>? mine = null;
            string? existing;
            lock (_gate)
            {
                if (!_index.TryGetValue(uid, out existing) && !_committing.TryGetValue(uid, out other))
                {
                    mine = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _committing.Add(uid, mine.Task);
                }
                else
                {
                    other = existing is null ? _committing[uid] : null;
                }
            }

            if (existing is not null)
            {
                return Duplicate(temporary, info, existing);
            }

            if (mine is null)
            {
                // Another association is committing the same UID: its outcome decides (it may still fail).
                await other!.ConfigureAwait(false);
                continue;
            }

            string? final = null;
            try
            {
                final = await PlaceAsync(temporary, header, uid).ConfigureAwait(false);
                return Stored(info, header, final);
            }
            finally
            {
                lock (_gate)
                {
                    _committing.Remove(uid);
                    if (final is not null)
                    {
                        _index[uid] = final;
                    }
                }

                mine.SetResult(final);
            }
        }
    }

    /// <summary>
    /// Puts the instance at its final path, durably. With the journal: the record is durable before the rename, so
    /// when this returns (and Success is sent) the bytes are on disk in the journal, and the file at the final path,
    /// complete in the page cache, is restored from them by the next start if a crash loses it; no file appears
    /// under instances/ that the journal could not restore. Without: the temporary file is fsynced, renamed and the
    /// directory fsynced.
    /// </summary>
    private async Task<string> PlaceAsync(string temporary, InstanceHeader header, string uid)
    {
        var series = Path.Combine(_instances, header.StudyInstanceUid, header.SeriesInstanceUid);
        EnsureDurableDirectory(series);
        var final = Path.Combine(series, uid + ".dcm");
        if (_journal is { } journal && journal.Accepts(new FileInfo(temporary).Length)
            && await journal.AppendAsync($"{header.StudyInstanceUid}/{header.SeriesInstanceUid}/{uid}.dcm", temporary).ConfigureAwait(false) is { } entry)
        {
            try
            {
                File.Move(temporary, final, overwrite: false);
            }
            catch
            {
                // Not acknowledged; the durable record may still be replayed after a crash, which is harmless (the
                // sender's retry is then a duplicate of a whole copy).
                journal.Settle(entry, null);
                throw;
            }

            journal.Settle(entry, final);
            return final;
        }

        DirectorySync.FlushFile(temporary);
        File.Move(temporary, final, overwrite: false);
        try
        {
            DirectorySync.Flush(series);
        }
        catch (IOException)
        {
            // Not known durable, so not acknowledged: take the name back so that the sender's retry starts clean.
            File.Delete(final);
            throw;
        }

        return final;
    }

    /// <summary>Creates the study and series folders and fsyncs their parents once per process, so the new names
    /// survive a power loss together with the file renamed into them.</summary>
    private void EnsureDurableDirectory(string series)
    {
        lock (_gate)
        {
            if (_knownDirectories.Contains(series))
            {
                return;
            }
        }

        var study = Path.GetDirectoryName(series)!;
        Directory.CreateDirectory(series);
        DirectorySync.Flush(study);
        DirectorySync.Flush(_instances);
        lock (_gate)
        {
            _knownDirectories.Add(series);
        }
    }

    private StoreOutcome Stored(IncomingInstanceInfo info, InstanceHeader header, string final)
    {
        Interlocked.Increment(ref _stored);
        InboxMetrics.Stored.Add(1);
        var calling = LogText.Peer(info.CallingAeTitle);
        InboxLog.Stored(_logger, info.SopInstanceUid, header.SeriesInstanceUid, calling);
        return new StoreOutcome(StoreStatus.Stored, final, null);
    }

    private StoreOutcome Duplicate(string temporary, IncomingInstanceInfo info, string existing)
    {
        Interlocked.Increment(ref _duplicates);
        bool same;
        try
        {
            same = DataSetComparison.SameDataSet(temporary, existing);
        }
        catch (IOException)
        {
            same = false; // the stored copy went away or is unreadable: say the copies may differ, still keep the first
        }

        File.Delete(temporary);
        InboxMetrics.Duplicates.Add(1, new KeyValuePair<string, object?>("differs", !same));
        var calling = LogText.Peer(info.CallingAeTitle);
        if (same)
        {
            InboxLog.Duplicate(_logger, info.SopInstanceUid, calling);
            return new StoreOutcome(StoreStatus.Duplicate, existing, null);
        }

        Interlocked.Increment(ref _duplicatesDiffering);
        InboxLog.DuplicateDiffers(_logger, info.SopInstanceUid, calling);
        return new StoreOutcome(StoreStatus.Duplicate, existing, "the data set differs from the stored copy; the first copy is kept");
    }

    private StoreOutcome Fail(string temporary, IncomingInstanceInfo info, string reason)
    {
        Directory.CreateDirectory(_failed);
        DirectorySync.FlushFile(temporary); // kept for inspection: as durable as before the journal
        var name = info.SopInstanceUid + "-" + Guid.NewGuid().ToString("N")[..8];
        var path = Path.Combine(_failed, name + ".dcm");
        File.Move(temporary, path);
        AtomicFile.WriteAllText(
            Path.Combine(_failed, name + ".reason.txt"),
            string.Create(CultureInfo.InvariantCulture, $"""
                reason: {LogText.Text(reason)}
                sop-instance-uid: {LogText.Peer(info.SopInstanceUid)}
                sop-class-uid: {LogText.Peer(info.SopClassUid)}
                transfer-syntax-uid: {LogText.Peer(info.TransferSyntaxUid)}
                calling-ae-title: {LogText.Peer(info.CallingAeTitle)}
                called-ae-title: {LogText.Peer(info.CalledAeTitle)}
                received-utc: {DateTimeOffset.UtcNow:O}

                """));
        Interlocked.Increment(ref _failedCount);
        InboxMetrics.Failed.Add(1);
        InboxLog.Failed(_logger, LogText.Peer(info.SopInstanceUid), LogText.Peer(info.CallingAeTitle), path, LogText.Text(reason));
        return new StoreOutcome(StoreStatus.Failed, path, reason);
    }

    private void Announce(CommittedInstance instance)
    {
        try
        {
            InstanceCommitted?.Invoke(this, instance);
        }
#pragma warning disable CA1031 // A consumer's bug must not turn a durable store into a C-STORE failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            InboxLog.HandlerFailed(_logger, ex, instance.SopInstanceUid);
        }
    }

    private sealed class IncomingFile : IIncomingInstance
    {
        private readonly DurableInbox _inbox;
        private readonly IncomingInstanceInfo _info;
        private readonly string _temporary;
        private FileStream? _stream;

        public IncomingFile(DurableInbox inbox, IncomingInstanceInfo info)
        {
            _inbox = inbox;
            _info = info;
            _temporary = Path.Combine(inbox._partial, Guid.NewGuid().ToString("N") + ".part");
            _stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            DicomPart10Header.Write(_stream, info.SopClassUid, info.SopInstanceUid, info.TransferSyntaxUid, info.CallingAeTitle);
        }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> dataSetBytes, CancellationToken cancellationToken)
            => _stream is null ? throw new InvalidOperationException("instance already committed") : _stream.WriteAsync(dataSetBytes, cancellationToken);

        public async ValueTask<StoreOutcome> CommitAsync(CancellationToken cancellationToken)
        {
            var stream = _stream ?? throw new InvalidOperationException("instance already committed");
            // No fsync here: the journal record, or the in-place path's fsync, makes the bytes durable.
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
            _stream = null;

            // Filing does blocking file-system work (and may wait for a concurrent commit of the same UID). Once the
            // bytes are fsynced the commit runs to its end: cancelling half-way would leave an orphan to clean up.
            var (outcome, committed) = await Task.Run(CommitOrDiscardAsync, CancellationToken.None).ConfigureAwait(false);
            if (committed is not null)
            {
                _inbox.Announce(committed);
            }

            return outcome;
        }

        private async Task<(StoreOutcome Outcome, CommittedInstance? Committed)> CommitOrDiscardAsync()
        {
            try
            {
                return await CommitAsync().ConfigureAwait(false);
            }
            catch
            {
                // Not acknowledged: nothing of it may stay where a restart would look for it.
                File.Delete(_temporary);
                throw;
            }
        }

        private async Task<(StoreOutcome Outcome, CommittedInstance? Committed)> CommitAsync()
        {
            // An I/O error here throws: the instance is discarded unacknowledged (the sender retries), never sent
            // to failed/, which is for data that no retry can file.
            var header = InstanceHeader.TryRead(_temporary, out var reason, _inbox._options.OpenRead);
            if (header is null)
            {
                return (_inbox.Fail(_temporary, _info, reason!), null);
            }

            if (header.SopInstanceUid is { } inDataSet && inDataSet != _info.SopInstanceUid)
            {
                return (_inbox.Fail(_temporary, _info, $"the data set's SOP Instance UID '{inDataSet}' differs from the request's"), null);
            }

            var outcome = await _inbox.FileInstanceAsync(_temporary, _info, header).ConfigureAwait(false);
            var committed = outcome.Status == StoreStatus.Stored
                ? new CommittedInstance(header.StudyInstanceUid, header.SeriesInstanceUid, _info.SopInstanceUid, _info.SopClassUid, outcome.FilePath!, _info.CallingAeTitle)
                : null;
            return (outcome, committed);
        }

        public async ValueTask DisposeAsync()
        {
            if (_stream is not null)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
                _stream = null;
                File.Delete(_temporary);
            }
        }
    }

    private sealed class RefusedInstance(StoreOutcome outcome) : IIncomingInstance
    {
        public ValueTask WriteAsync(ReadOnlyMemory<byte> dataSetBytes, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<StoreOutcome> CommitAsync(CancellationToken cancellationToken) => ValueTask.FromResult(outcome);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
