using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Dicom.Network.Durability;
using MiM.Bundles.Dicom.Network.Logging;

namespace MiM.Bundles.Dicom.Network.Outbox;

/// <summary>
/// The durable outbox: results (one or more Part 10 files for one destination) are copied (or hard-linked) into
/// <c>&lt;root&gt;/&lt;destination&gt;/&lt;job&gt;/</c> with a manifest, fsynced, before <see cref="EnqueueAsync"/> returns.
/// One worker per destination sends them with <see cref="IDicomSender"/>, retrying with exponential backoff and
/// jitter; only files not yet delivered are sent again. After <see cref="OutboxOptions.MaxAttempts"/> failed attempts
/// the job moves to <c>dead-letter/&lt;destination&gt;/&lt;job&gt;/</c> with a reason.txt, counted once per job. Jobs
/// survive a restart with their attempt count.
/// </summary>
public sealed class DicomOutbox
{
    private readonly OutboxOptions _options;
    private readonly IDicomSender _sender;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, DicomDestination> _destinations;
    private readonly Dictionary<string, SemaphoreSlim> _wakeUps;
    private long _deliveredJobs;
    private long _deliveredFiles;
    private long _failedAttempts;
    private long _deadLettered;

    /// <summary>
    /// Opens (creating when needed) the outbox: jobs a crash left half-enqueued are removed (their enqueue never
    /// returned), pending ones stay with their attempt count.
    /// </summary>
    public DicomOutbox(OutboxOptions options, IEnumerable<DicomDestination> destinations, IDicomSender sender, TimeProvider timeProvider, ILogger<DicomOutbox>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(destinations);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        _options = options;
        _sender = sender;
        _time = timeProvider;
        _logger = logger ?? NullLogger<DicomOutbox>.Instance;
        _destinations = new Dictionary<string, DicomDestination>(StringComparer.OrdinalIgnoreCase);
        foreach (var destination in destinations)
        {
            if (!OutboxLayout.IsValidDestinationName(destination.Name) || !_destinations.TryAdd(destination.Name, destination))
            {
                throw new ArgumentException($"destination name '{destination.Name}' is invalid or repeated", nameof(destinations));
            }
        }

        _wakeUps = _destinations.Keys.ToDictionary(k => k, _ => new SemaphoreSlim(0), StringComparer.OrdinalIgnoreCase);
        Directory.CreateDirectory(options.Root);
        var removed = Recover();
        var pending = 0;
        foreach (var destination in _destinations.Keys)
        {
            var count = PendingJobs(destination).Count;
            OutboxMetrics.Queued.Add(count, Tag(destination));
            pending += count;
        }

        OutboxLog.Opened(_logger, options.Root, pending, removed);
    }

    /// <summary>
    /// Raised after a job was delivered completely and left the queue (the job id, its destination). Raised on the
    /// destination's worker: a handler must be quick and must not throw.
    /// </summary>
    public event EventHandler<OutboxJobOutcome>? JobDelivered;

    /// <summary>Raised after a job moved to the dead-letter folder (the job id, its destination and the last error).</summary>
    public event EventHandler<OutboxJobOutcome>? JobDeadLettered;

    /// <summary>Jobs delivered completely since the outbox was opened.</summary>
    public long DeliveredJobs => Interlocked.Read(ref _deliveredJobs);

    /// <summary>Files delivered since the outbox was opened.</summary>
    public long DeliveredFiles => Interlocked.Read(ref _deliveredFiles);

    /// <summary>Attempts that left files undelivered, since the outbox was opened.</summary>
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    /// <summary>Jobs moved to the dead-letter folder since the outbox was opened: one per job, however many files or attempts.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>The ids of the jobs waiting for <paramref name="destination"/>, oldest first.</summary>
    public IReadOnlyList<string> PendingJobs(string destination)
    {
        var folder = Path.Combine(_options.Root, destination);
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateDirectories(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!]
            : [];
    }

    /// <summary>The folder of a pending job.</summary>
    public string JobFolder(string destination, string job) => Path.Combine(_options.Root, destination, job);

    /// <summary>The folder of a dead-lettered job.</summary>
    public string DeadLetterFolder(string destination, string job) => Path.Combine(_options.Root, OutboxLayout.DeadLetter, destination, job);

    /// <summary>
    /// Queues <paramref name="files"/> for <paramref name="destination"/>: when this returns, the job is on disk
    /// (files, manifest and folder names fsynced) and survives a crash. Returns the job's id.
    /// </summary>
    public async Task<string> EnqueueAsync(string destination, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (!_destinations.TryGetValue(destination, out var known))
        {
            throw new ArgumentException($"destination '{destination}' is not configured", nameof(destination));
        }

        if (files.Count == 0)
        {
            throw new ArgumentException("a job needs at least one file", nameof(files));
        }

        var job = await Task.Run(() => Enqueue(known.Name, files), cancellationToken).ConfigureAwait(false);
        OutboxLog.Enqueued(_logger, job, known.Name, files.Count);
        _wakeUps[known.Name].Release();
        return job;
    }

    /// <summary>Runs one worker per destination until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken)
        => Task.WhenAll(_destinations.Keys.Select(d => RunWorkerAsync(d, cancellationToken)));

    /// <summary>
    /// One pass of a destination's worker: attempts every job that is due (oldest first) and returns when the next
    /// job is due, or null when none is waiting.
    /// </summary>
    public async Task<DateTimeOffset?> ProcessDueAsync(string destination, CancellationToken cancellationToken)
    {
        var target = _destinations[destination];
        DateTimeOffset? next = null;
        foreach (var job in PendingJobs(target.Name))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var folder = JobFolder(target.Name, job);
            OutboxManifest manifest;
            try
            {
                manifest = OutboxManifest.Read(folder);
            }
            catch (Exception ex) when (ex is JsonException or FileNotFoundException)
            {
                DeadLetter(target.Name, job, folder, null, $"unreadable manifest: {ex.Message}");
                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Perhaps transient (EMFILE, EIO, a network file system): try again next pass, never dead-letter unread.
                OutboxLog.PassFailed(_logger, job, target.Name, LogText.Text(ex.Message));
                continue;
            }

            if (manifest.Attempts >= _options.MaxAttempts)
            {
                // A crash after an attempt was counted, or while dead-lettering: never exceed the limit.
                DeadLetter(target.Name, manifest.Id, folder, manifest, manifest.LastError ?? "attempt limit reached");
                continue;
            }

            if (manifest.NextAttempt > _time.GetUtcNow())
            {
                next = next is { } n && n < manifest.NextAttempt ? n : manifest.NextAttempt;
                continue;
            }

            DateTimeOffset? retryAt;
            try
            {
                retryAt = await AttemptAsync(target, folder, manifest, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // One job's disk trouble must not stop the jobs queued behind it.
                OutboxLog.PassFailed(_logger, job, target.Name, LogText.Text(ex.Message));
                continue;
            }

            if (retryAt is { } r)
            {
                next = next is { } n && n < r ? n : r;
            }
        }

        return next;
    }

    private async Task RunWorkerAsync(string destination, CancellationToken cancellationToken)
    {
        var wakeUp = _wakeUps[destination];
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var next = await ProcessDueAsync(destination, cancellationToken).ConfigureAwait(false);
                wait = next is { } n ? Max(n - _time.GetUtcNow(), TimeSpan.Zero) : Timeout.InfiniteTimeSpan;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A disk hiccup must not stop deliveries for good: log, wait, try again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                OutboxLog.WorkerFailed(_logger, ex, destination);
                wait = _options.RetryBaseDelay;
            }

            if (wait == TimeSpan.Zero)
            {
                continue;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var woken = wakeUp.WaitAsync(stop.Token);
            var due = wait == Timeout.InfiniteTimeSpan ? Task.Delay(Timeout.Infinite, stop.Token) : Task.Delay(wait, _time, stop.Token);
            await Task.WhenAny(woken, due).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(woken, due).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static KeyValuePair<string, object?> Tag(string destination) => new("destination", destination);

    private string Enqueue(string destination, IReadOnlyList<string> files)
    {
        var now = _time.GetUtcNow();
        var job = now.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..12];
        var incoming = Path.Combine(_options.Root, OutboxLayout.Incoming);
        var staging = Path.Combine(incoming, job);
        Directory.CreateDirectory(staging);
        var entries = new List<OutboxFile>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            var source = Path.GetFullPath(files[i]);
            var name = i.ToString("D4", CultureInfo.InvariantCulture) + ".dcm";
            var target = Path.Combine(staging, name);
            if (!_options.HardLinkFiles || !HardLink.TryCreate(source, target))
            {
                File.Copy(source, target);
            }

            // A hard link shares the source's data blocks, which its writer may not have fsynced: fsync either way
            // (File.Copy does not fsync).
            DirectorySync.FlushFile(target);
            entries.Add(new OutboxFile { Name = name, Source = source });
        }

        new OutboxManifest { Id = job, Destination = destination, Created = now, NextAttempt = now, Files = entries }.Write(staging);
        var queue = EnsureDurableFolder(Path.Combine(_options.Root, destination));
        Directory.Move(staging, Path.Combine(queue, job));
        DirectorySync.Flush(queue);
        DirectorySync.Flush(incoming);
        OutboxMetrics.Queued.Add(1, Tag(destination));
        return job;
    }

    private async Task<DateTimeOffset?> AttemptAsync(DicomDestination destination, string folder, OutboxManifest manifest, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        manifest.Attempts++;
        manifest.FirstAttempt ??= now;
        manifest.LastAttempt = now;
        var delay = Backoff.Delay(_options, manifest.Attempts, Random.Shared.NextDouble());
        manifest.NextAttempt = now + delay;
        manifest.Write(folder); // counted before sending: a crash mid-send still uses up the attempt

        var remaining = manifest.Files.Where(f => !f.Delivered && !f.Permanent).ToList();
        var paths = remaining.Select(f => Path.Combine(folder, f.Name)).ToList();
        string? error = null;
        string? Record(IReadOnlyList<FileSendOutcome> outcomes, bool complete)
        {
            string? first = null;
            var byPath = new Dictionary<string, FileSendOutcome>(StringComparer.Ordinal);
            foreach (var outcome in outcomes)
            {
                byPath[outcome.FilePath] = outcome;
            }

            for (var i = 0; i < remaining.Count; i++)
            {
                if (byPath.TryGetValue(paths[i], out var outcome))
                {
                    remaining[i].LastStatus = outcome.Status;
                    remaining[i].Delivered = outcome.Delivered;
                    remaining[i].Permanent = outcome.PermanentFailure;
                    if (!outcome.Delivered)
                    {
                        first ??= $"{remaining[i].Name} (from {remaining[i].Source}): " + (outcome.Status is { } s ? $"status 0x{s:X4}" : "not sent") + (outcome.Error is null ? string.Empty : $": {outcome.Error}");
                    }
                }
                else if (complete)
                {
                    first ??= $"{remaining[i].Name} (from {remaining[i].Source}): no outcome from the sender";
                }
            }

            return first;
        }

        try
        {
            error = Record(await _sender.SendAsync(destination, paths, cancellationToken).ConfigureAwait(false), complete: true);
        }
        catch (DicomNetworkException ex)
        {
            // Files answered before the association broke are delivered: the next attempt sends only the others.
            Record(ex.Outcomes, complete: false);
            error = ex.Message;
        }
#pragma warning disable CA1031 // Any other failure of the sender (a timeout, a missing file, a bug) is a failed attempt too: retried, then dead-lettered.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            error = $"{ex.GetType().Name}: {ex.Message}";
        }

        var delivered = remaining.Count(f => f.Delivered);
        Interlocked.Add(ref _deliveredFiles, delivered);
        OutboxMetrics.DeliveredFiles.Add(delivered, Tag(destination.Name));
        var undelivered = manifest.Files.Count(f => !f.Delivered);
        if (undelivered == 0)
        {
            Complete(destination.Name, folder, manifest);
            return null;
        }

        Interlocked.Increment(ref _failedAttempts);
        OutboxMetrics.FailedAttempts.Add(1, Tag(destination.Name));
        manifest.LastError = $"{undelivered} of {manifest.Files.Count} files not delivered; first: {error}";
        var permanent = manifest.Files.Count(f => f.Permanent);
        if (permanent == undelivered)
        {
            // Every file left was answered with a status no retry fixes: waiting out the attempts would only delay
            // the person who has to look at it.
            manifest.LastError += $" ({permanent} answered with a status no retry can fix)";
            DeadLetter(destination.Name, manifest.Id, folder, manifest, manifest.LastError);
            return null;
        }

        if (manifest.Attempts >= _options.MaxAttempts)
        {
            DeadLetter(destination.Name, manifest.Id, folder, manifest, manifest.LastError);
            return null;
        }

        manifest.Write(folder);
        OutboxLog.AttemptFailed(_logger, manifest.Id, destination.Name, manifest.Attempts, _options.MaxAttempts, undelivered, delay, LogText.Text(manifest.LastError));
        return manifest.NextAttempt;
    }

    private void Complete(string destination, string folder, OutboxManifest manifest)
    {
        manifest.LastError = null;
        Interlocked.Increment(ref _deliveredJobs);
        OutboxMetrics.DeliveredJobs.Add(1, Tag(destination));
        OutboxMetrics.Queued.Add(-1, Tag(destination));
        OutboxLog.Delivered(_logger, manifest.Id, destination, manifest.Files.Count, manifest.Attempts);
        if (_options.KeepSent)
        {
            manifest.Write(folder);
            MoveJob(folder, Path.Combine(_options.Root, OutboxLayout.Sent, destination), manifest.Id);
        }
        else
        {
            Directory.Delete(folder, recursive: true);
        }

        JobDelivered?.Invoke(this, new OutboxJobOutcome(destination, manifest.Id, null));
    }

    private void DeadLetter(string destination, string job, string folder, OutboxManifest? manifest, string error)
    {
        var reason = new StringBuilder();
        reason.AppendLine(CultureInfo.InvariantCulture, $"destination: {destination}");
        reason.AppendLine(CultureInfo.InvariantCulture, $"job: {job}");
        reason.AppendLine(CultureInfo.InvariantCulture, $"last error: {LogText.Text(error)}");
        if (manifest is not null)
        {
            reason.AppendLine(CultureInfo.InvariantCulture, $"attempts: {manifest.Attempts}");
            reason.AppendLine(CultureInfo.InvariantCulture, $"enqueued: {manifest.Created:O}");
            reason.AppendLine(CultureInfo.InvariantCulture, $"first attempt: {manifest.FirstAttempt:O}");
            reason.AppendLine(CultureInfo.InvariantCulture, $"last attempt: {manifest.LastAttempt:O}");
            reason.AppendLine("files:");
            foreach (var file in manifest.Files)
            {
                var state = file.Delivered ? "delivered" : file.Permanent ? "NOT delivered, no retry can fix it" : "NOT delivered";
                var status = file.LastStatus is { } s ? $", last status 0x{s:X4}" : string.Empty;
                reason.AppendLine(CultureInfo.InvariantCulture, $"  {file.Name} ({state}{status}) from {file.Source}");
            }

            manifest.Write(folder);
        }

        reason.AppendLine(CultureInfo.InvariantCulture, $"dead-lettered: {_time.GetUtcNow():O}");
        AtomicFile.WriteAllText(Path.Combine(folder, OutboxLayout.Reason), reason.ToString());
        MoveJob(folder, Path.Combine(_options.Root, OutboxLayout.DeadLetter, destination), job);
        Interlocked.Increment(ref _deadLettered);
        OutboxMetrics.DeadLettered.Add(1, Tag(destination));
        OutboxMetrics.Queued.Add(-1, Tag(destination));
        OutboxLog.DeadLettered(_logger, job, destination, manifest?.Attempts ?? 0, manifest?.Files.Count(f => !f.Delivered) ?? 0, LogText.Text(error));
        JobDeadLettered?.Invoke(this, new OutboxJobOutcome(destination, job, error));
    }

    private static void MoveJob(string folder, string targetParent, string job)
    {
        var parent = Path.GetDirectoryName(folder)!;
        Directory.Move(folder, Path.Combine(EnsureDurableFolder(targetParent), job));
        DirectorySync.Flush(targetParent);
        DirectorySync.Flush(parent);
    }

    /// <summary>Creates a folder (and its parents) so its name survives a power loss; returns it.</summary>
    private static string EnsureDurableFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            var parent = Path.GetDirectoryName(folder)!;
            EnsureDurableFolder(parent);
            Directory.CreateDirectory(folder);
            DirectorySync.Flush(parent);
        }

        return folder;
    }

    private int Recover()
    {
        var removed = 0;
        var incoming = Path.Combine(_options.Root, OutboxLayout.Incoming);
        if (Directory.Exists(incoming))
        {
            foreach (var staging in Directory.EnumerateDirectories(incoming))
            {
                // Its EnqueueAsync never returned, so nobody was told it is queued.
                Directory.Delete(staging, recursive: true);
                removed++;
            }
        }

        foreach (var queue in Directory.EnumerateDirectories(_options.Root))
        {
            var name = Path.GetFileName(queue);
            if (name is OutboxLayout.Incoming or OutboxLayout.DeadLetter or OutboxLayout.Sent)
            {
                continue;
            }

            if (!_destinations.ContainsKey(name))
            {
                OutboxLog.UnknownDestination(_logger, queue);
                continue;
            }

            foreach (var leftover in Directory.EnumerateFiles(queue, "*", SearchOption.AllDirectories).Where(AtomicFile.IsTemporary))
            {
                File.Delete(leftover); // a manifest rewrite a crash interrupted; the previous manifest is intact
            }
        }

        return removed;
    }
}
