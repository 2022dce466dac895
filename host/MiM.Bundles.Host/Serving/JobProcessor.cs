using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiM.Bundles.Dicom;
using MiM.Bundles.Dicom.Network.Durability;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Series;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Host.Audit;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Jobs;
using MiM.Bundles.Host.Running;
using MiM.Bundles.Host.Shadow;

namespace MiM.Bundles.Host.Serving;

/// <summary>
/// Runs the jobs of each series generation: series → Volume (once), the bundles through the dispatcher (one encoder
/// pass for the heads that share it), the SEG/SR writer, then the outbox (and the output folder). Every stage's start
/// and end goes on the durable job record. At start-up it takes up every job that had not handed its result on, exactly
/// as a new one; jobs whose results are in the outbox wait for the outbox. On stop, running series may finish within the
/// grace period; what is left runs again at the next start. A shadow job runs beside its serving job in the same
/// group, without holding the serving answer back; its result is written under the data folder, never handed on, and
/// compared with the serving result (the label maps or class scores: in memory, or from the <see cref="ShadowReference"/>
/// the serving job left when a restart came between them) before the job is kept.
/// </summary>
public sealed class JobProcessor : BackgroundService
{
    private readonly JobStore _jobs;
    private readonly SeriesDispatcher _dispatcher;
    private readonly ResultWriter _writer;
    private readonly DicomOutbox _outbox;
    private readonly IAuditLog _audit;
    private readonly ServeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<JobProcessor> _logger;
    private readonly BundleCatalog? _catalog;
    private readonly ShadowPromoter? _promoter;
    private readonly ShadowReference? _references;
    private readonly Channel<string> _groups = Channel.CreateUnbounded<string>();
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _queued = new(StringComparer.Ordinal);

    /// <summary>Wires the processor to the outbox's delivery events.</summary>
    /// <param name="jobs">The durable job records.</param>
    /// <param name="dispatcher">Runs a series through its bundles.</param>
    /// <param name="writer">Writes SEG/SR results.</param>
    /// <param name="outbox">Delivers results.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="options">The serve settings.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The log.</param>
    /// <param name="catalog">The labels each version declares (empty labels count in a shadow comparison); none when null.</param>
    /// <param name="promoter">The shadow promotion policy; none when null.</param>
    /// <param name="references">Where serving results wait for their shadow job across a restart; not kept when null.</param>
    public JobProcessor(JobStore jobs, SeriesDispatcher dispatcher, ResultWriter writer, DicomOutbox outbox, IAuditLog audit, IOptions<ServeOptions> options, TimeProvider time, ILogger<JobProcessor> logger, BundleCatalog? catalog = null, ShadowPromoter? promoter = null, ShadowReference? references = null)
    {
        _references = references;
        _catalog = catalog;
        _promoter = promoter;
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(options);
        _jobs = jobs;
        _dispatcher = dispatcher;
        _writer = writer;
        _outbox = outbox;
        _audit = audit;
        _options = options.Value;
        _time = time;
        _logger = logger;
        outbox.JobDelivered += (_, e) => Settle(e);
        outbox.JobDeadLettered += (_, e) => Settle(e);
    }

    /// <summary>Series generations waiting or running.</summary>
    public int Backlog => _queued.Count + _running.Count;

    /// <summary>Queues the jobs of one series generation (<c>SeriesUID#generation</c>); a key already waiting is not queued twice.</summary>
    public void Enqueue(string groupKey)
    {
        // A series handed on again while its jobs run (a crash before the assembler's marker) is the same work.
        if (!_running.ContainsKey(groupKey) && _queued.TryAdd(groupKey, 0))
        {
            _groups.Writer.TryWrite(groupKey);
        }
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _groups.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(TimeSpan.FromSeconds(_options.StopGraceSeconds));
        try
        {
            await Task.WhenAll(_running.Values).WaitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ServeLog.LeftRunning(_logger, _running.Count);
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Resume();
        using var slots = new SemaphoreSlim(_options.MaxConcurrentSeries);
        try
        {
            await foreach (var key in _groups.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                _queued.TryRemove(key, out _);
                var run = Task.Run(() => RunGroupAsync(key), CancellationToken.None);
                _running[key] = run;
                _ = run.ContinueWith(
                    _ =>
                    {
                        _running.TryRemove(key, out Task? _);
                        slots.Release();
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stop: queued series stay on disk as unfinished jobs; StopAsync gives the running ones their grace period.
        }
    }

    /// <summary>Jobs a stop or crash left: those handed to the outbox settle from its folders, the others run again.</summary>
    private void Resume()
    {
        var unfinished = _jobs.Unfinished;
        var waiting = 0;
        foreach (var job in unfinished.Where(j => j.Handed))
        {
            waiting++;
            foreach (var (destination, delivery) in job.Deliveries.Where(d => d.Value is { State: "queued", OutboxJob: not null }).ToList())
            {
                if (_outbox.PendingJobs(destination).Contains(delivery.OutboxJob!, StringComparer.Ordinal))
                {
                    continue;
                }

                var deadLetter = _outbox.DeadLetterFolder(destination, delivery.OutboxJob!);
                Settle(new OutboxJobOutcome(destination, delivery.OutboxJob!, Directory.Exists(deadLetter) ? ReadReason(deadLetter) : null));
            }

            FinishIfDelivered(job);
        }

        var rerun = unfinished.Where(j => !j.Handed).GroupBy(j => j.GroupKey, StringComparer.Ordinal).ToList();
        if (unfinished.Count > 0)
        {
            ServeLog.Resuming(_logger, unfinished.Count, rerun.Count, waiting);
        }

        foreach (var group in rerun)
        {
            Enqueue(group.Key);
        }
    }

    private async Task RunGroupAsync(string key)
    {
        var jobs = _jobs.Unfinished.Where(j => j.GroupKey == key && !j.Handed).ToList();
        if (jobs.Count == 0)
        {
            return;
        }

        try
        {
            await RunJobsAsync(jobs).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // One series' unexpected fault fails its jobs with the reason; the host serves on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            foreach (var job in jobs.Where(j => j.State is JobState.Queued or JobState.Running && !j.Handed))
            {
                Fail(job, job.Stages.LastOrDefault()?.Name ?? JobStages.Load, $"{e.GetType().Name}: {e.Message}");
            }
        }
    }

    private async Task RunJobsAsync(List<JobRecord> jobs)
    {
        var clock = Stopwatch.StartNew();
        foreach (var job in jobs)
        {
            _jobs.Update(job, j =>
            {
                j.State = JobState.Running;
                j.Error = null;
                j.Stages.Add(new JobStageRecord { Name = JobStages.Load, Started = _time.GetUtcNow() });
            });
        }

        CtSeries series;
        try
        {
            series = await Task.Run(() => CtSeriesLoader.LoadFiles(jobs[0].InstancePaths)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DicomException or IOException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            foreach (var job in jobs)
            {
                Fail(job, JobStages.Load, e.Message);
            }

            return;
        }

        foreach (var job in jobs)
        {
            _jobs.Update(job, j =>
            {
                EndStage(j);
                j.Stages.Add(new JobStageRecord { Name = JobStages.Inference, Started = _time.GetUtcNow() });
            });
        }

        // Both started at once, but the serving answer is handed on without waiting for a candidate in shadow.
        var serving = jobs.Where(j => !j.Shadow).ToList();
        var shadows = jobs.Where(j => j.Shadow).ToList();
        var servingRun = Dispatch(series, serving);
        var shadowRun = Dispatch(series, shadows);
        var servingResults = await servingRun.ConfigureAwait(false);
        for (var i = 0; i < serving.Count; i++)
        {
            var comparedLater = shadows.Any(s => s.ShadowOf == serving[i].Id);
            await FinishAsync(serving[i], servingResults[i], series, clock, comparedLater).ConfigureAwait(false);
        }

        var shadowResults = await shadowRun.ConfigureAwait(false);
        for (var i = 0; i < shadows.Count; i++)
        {
            var index = serving.FindIndex(j => j.Id == shadows[i].ShadowOf);
            Keep(shadows[i], shadowResults[i], series, index < 0 ? null : servingResults[index]);
        }
    }

    private Task<IReadOnlyList<JobResult>> Dispatch(CtSeries series, List<JobRecord> jobs) => jobs.Count == 0
        ? Task.FromResult<IReadOnlyList<JobResult>>([])
        : _dispatcher.RunAsync(series.Volume, [.. jobs.Select(j => new DispatchTarget(j.BundleId, j.Shadow))]);

    /// <summary>
    /// Ends a shadow job: its result written under the data folder, compared with the serving result (in memory, or the
    /// reference kept on disk when the serving job ran before a restart), never sent.
    /// </summary>
    private void Keep(JobRecord job, JobResult result, CtSeries series, JobResult? serving)
    {
        if (result.Status == JobStatus.Cancelled)
        {
            // Runs again at the next start, alone: the serving job's reference stays for it.
            _jobs.Update(job, j => EndStage(j, "interrupted by the host's stop"));
            ServeLog.Interrupted(_logger, job.Id);
            return;
        }

        string? missing = null;
        if (serving is null && _references is not null && job.ShadowOf is { } servingJobId)
        {
            try
            {
                serving = _references.Load(servingJobId);
            }
            catch (InvalidDataException e)
            {
                missing = e.Message;
            }
        }

        try
        {
            KeepComparing(job, result, series, serving, missing);
        }
        finally
        {
            if (job.ShadowOf is { } ended && job.State is not (JobState.Queued or JobState.Running))
            {
                _references?.Delete(ended);
            }
        }
    }

    private void KeepComparing(JobRecord job, JobResult result, CtSeries series, JobResult? serving, string? missing)
    {
        if (result.Status == JobStatus.Rejected)
        {
            // The candidate was promoted or cleared between routing and running: nothing to compare, nothing failed.
            Kept(job, new ShadowAgreement(job.ShadowOf ?? "", serving?.BundleVersion ?? "", null, Note: $"not run: {result.Error}"), "not-compared");
            return;
        }

        if (result.Status != JobStatus.Succeeded)
        {
            Fail(job, JobStages.Inference, $"{result.Status}: {result.Error}");
            ShadowMetrics.Recorded(job.BundleId, job.BundleVersion, "failed", null);
            return;
        }

        _jobs.Update(job, j =>
        {
            j.RanVersion = result.BundleVersion;
            EndStage(j);
            j.Stages.Add(new JobStageRecord { Name = JobStages.Write, Started = _time.GetUtcNow() });
        });
        try
        {
            var (path, uid) = _writer.Write(job, result, series);
            _jobs.Update(job, j =>
            {
                j.ResultFiles = [path];
                j.ResultSopInstanceUids = [uid];
                EndStage(j);
                j.Stages.Add(new JobStageRecord { Name = JobStages.Compare, Started = _time.GetUtcNow() });
            });
        }
        catch (Exception e) when (e is DicomException or IOException or InvalidOperationException or ArgumentException)
        {
            Fail(job, JobStages.Write, e.Message);
            ShadowMetrics.Recorded(job.BundleId, result.BundleVersion, "failed", null);
            return;
        }

        var agreement = ShadowComparison.Compare(job.ShadowOf ?? "", serving, result, DeclaredLabels(job.BundleId, result.BundleVersion, serving?.BundleVersion), missing);
        Kept(job, agreement, agreement.Agreement is null ? "not-compared" : "compared");
        if (agreement.Agreement is not null && _promoter is not null)
        {
            // Not awaited: a promotion rescans the catalog, and this series' other jobs need not wait for it.
            _ = _promoter.ConsiderAsync(job);
        }
    }

    private void Kept(JobRecord job, ShadowAgreement agreement, string outcome)
    {
        _jobs.Update(job, j =>
        {
            EndStage(j);
            j.Agreement = agreement;
            j.State = JobState.Kept;
            j.Finished = _time.GetUtcNow();
        });
        JobMetrics.JobFinished(job);
        var version = job.RanVersion ?? job.BundleVersion;
        ShadowMetrics.Recorded(job.BundleId, version, outcome, agreement.Agreement);
        var figure = agreement.Agreement?.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) ?? "not compared";
        ServeLog.ShadowKept(_logger, job.Id, job.BundleId, version, job.SeriesInstanceUid, figure, agreement.ServingJobId);
        _audit.Append(new AuditEvent(_time.GetUtcNow(), "shadow-kept", string.Join(",", job.CallingAeTitles), job.StudyInstanceUid, job.SeriesInstanceUid, job.BundleId, version, job.ResultSopInstanceUids, Detail: $"job {job.Id}: agreement {figure} with job {agreement.ServingJobId}{(agreement.Note is null ? "" : ": " + agreement.Note)}"));
    }

    /// <summary>The label values the two versions declare (a label both leave empty counts as agreement).</summary>
    private List<int> DeclaredLabels(string bundleId, string shadowVersion, string? servingVersion) =>
        _catalog is null
            ? []
            : [.. _catalog.Versions
                .Where(v => v.Id == bundleId && (v.Version?.ToString() == shadowVersion || v.Version?.ToString() == servingVersion))
                .SelectMany(v => (v.Bundle as ISegmentationBundle)?.Segments ?? [])
                .Select(s => (int)s.Value)
                .Distinct()];

    /// <param name="job">The serving job.</param>
    /// <param name="result">What its bundle produced.</param>
    /// <param name="series">The series it ran on.</param>
    /// <param name="clock">Started with the series' jobs.</param>
    /// <param name="comparedLater">A shadow job compares with this result: keep it on disk before handing it on.</param>
    private async Task FinishAsync(JobRecord job, JobResult result, CtSeries series, Stopwatch clock, bool comparedLater)
    {
        if (result.Status == JobStatus.Cancelled)
        {
            // The host is stopping: leave the job unfinished so that the next start runs it again.
            _jobs.Update(job, j => EndStage(j, "interrupted by the host's stop"));
            ServeLog.Interrupted(_logger, job.Id);
            return;
        }

        if (result.Status != JobStatus.Succeeded)
        {
            Fail(job, JobStages.Inference, $"{result.Status}: {result.Error}");
            return;
        }

        _jobs.Update(job, j =>
        {
            j.RanVersion = result.BundleVersion;
            EndStage(j);
            j.Stages.Add(new JobStageRecord { Name = JobStages.Write, Started = _time.GetUtcNow() });
        });
        string path;
        string uid;
        try
        {
            (path, uid) = _writer.Write(job, result, series);
        }
        catch (Exception e) when (e is DicomException or IOException or InvalidOperationException or ArgumentException)
        {
            Fail(job, JobStages.Write, e.Message);
            return;
        }

        _jobs.Update(job, j =>
        {
            j.ResultFiles = [path];
            j.ResultSopInstanceUids = [uid];
            EndStage(j);
        });
        if (comparedLater)
        {
            KeepReference(job, result);
        }

        _audit.Append(new AuditEvent(_time.GetUtcNow(), "processed", string.Join(",", job.CallingAeTitles), job.StudyInstanceUid, job.SeriesInstanceUid, job.BundleId, result.BundleVersion, [uid], Detail: $"job {job.Id}"));
        ServeLog.Processed(_logger, job.Id, job.BundleId, result.BundleVersion, job.SeriesInstanceUid, uid, clock.Elapsed.TotalSeconds);
        await HandOnAsync(job, path, uid).ConfigureAwait(false);
    }

    /// <summary>Keeps the serving result for its shadow job; without it only the comparison after a restart is lost.</summary>
    private void KeepReference(JobRecord job, JobResult result)
    {
        if (_references is null)
        {
            return;
        }

        try
        {
            _references.Save(job.Id, result);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            ServeLog.ReferenceNotKept(_logger, job.Id, e.Message);
        }
    }

    private async Task HandOnAsync(JobRecord job, string path, string uid)
    {
        var deliveries = new Dictionary<string, JobDelivery>(StringComparer.OrdinalIgnoreCase);
        var started = _time.GetUtcNow();
        try
        {
            foreach (var destination in _options.Destinations)
            {
                var outboxJob = await _outbox.EnqueueAsync(destination.EffectiveName, [path], CancellationToken.None).ConfigureAwait(false);
                deliveries[destination.EffectiveName] = new JobDelivery { OutboxJob = outboxJob };
            }

            if (_options.OutputFolder is { Length: > 0 } output)
            {
                CopyToFolder(path, Path.Combine(output, job.StudyInstanceUid), uid + ".dcm");
                deliveries["folder"] = new JobDelivery { State = "delivered", Ended = _time.GetUtcNow() };
                _audit.Append(new AuditEvent(_time.GetUtcNow(), "delivered", null, job.StudyInstanceUid, job.SeriesInstanceUid, job.BundleId, job.RanVersion, [uid], output));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Fail(job, JobStages.Deliver, e.Message);
            return;
        }

        _jobs.Update(job, j =>
        {
            j.Stages.Add(new JobStageRecord { Name = JobStages.Deliver, Started = started });
            foreach (var (name, delivery) in deliveries)
            {
                j.Deliveries[name] = delivery;
            }
        });
        FinishIfDelivered(job);
    }

    /// <summary>An outbox job left its queue: mark the destination's delivery of the job that owns it.</summary>
    private void Settle(OutboxJobOutcome outcome)
    {
        var job = _jobs.Unfinished.FirstOrDefault(j => j.Deliveries.TryGetValue(outcome.Destination, out var d) && d.OutboxJob == outcome.Job);
        if (job is null)
        {
            // Enqueued and delivered before the job record names it: HandOnAsync settles it just after.
            return;
        }

        _jobs.Update(job, j =>
        {
            var delivery = j.Deliveries[outcome.Destination];
            delivery.State = outcome.Error is null ? "delivered" : "dead-letter";
            delivery.Error = outcome.Error;
            delivery.Ended = _time.GetUtcNow();
        });
        if (outcome.Error is null)
        {
            ServeLog.Delivered(_logger, job.Id, outcome.Destination);
            _audit.Append(new AuditEvent(_time.GetUtcNow(), "delivered", null, job.StudyInstanceUid, job.SeriesInstanceUid, job.BundleId, job.RanVersion, job.ResultSopInstanceUids, outcome.Destination));
        }
        else
        {
            ServeLog.DeadLettered(_logger, job.Id, outcome.Destination, outcome.Error);
            _audit.Append(new AuditEvent(_time.GetUtcNow(), "dead-lettered", null, job.StudyInstanceUid, job.SeriesInstanceUid, job.BundleId, job.RanVersion, job.ResultSopInstanceUids, outcome.Destination, outcome.Error));
        }

        FinishIfDelivered(job);
    }

    private void FinishIfDelivered(JobRecord job)
    {
        lock (job)
        {
            if (job.State is JobState.Delivered or JobState.Failed || !job.Handed)
            {
                return;
            }

            // A delivery the outbox finished before the record named its outbox job: it is no longer pending.
            foreach (var (destination, delivery) in job.Deliveries.Where(d => d.Value is { State: "queued", OutboxJob: not null }))
            {
                if (!_outbox.PendingJobs(destination).Contains(delivery.OutboxJob!, StringComparer.Ordinal))
                {
                    var deadLetter = _outbox.DeadLetterFolder(destination, delivery.OutboxJob!);
                    delivery.State = Directory.Exists(deadLetter) ? "dead-letter" : "delivered";
                    delivery.Error = Directory.Exists(deadLetter) ? ReadReason(deadLetter) : null;
                    delivery.Ended = _time.GetUtcNow();
                }
            }

            if (job.Deliveries.Values.Any(d => d.State == "queued"))
            {
                return;
            }
        }

        var failed = job.Deliveries.Where(d => d.Value.State == "dead-letter").ToList();
        _jobs.Update(job, j =>
        {
            EndStage(j, failed.Count == 0 ? null : string.Join("; ", failed.Select(f => $"{f.Key}: {f.Value.Error}")));
            j.State = failed.Count == 0 ? JobState.Delivered : JobState.Failed;
            j.Error = failed.Count == 0 ? null : $"dead-lettered for {string.Join(", ", failed.Select(f => f.Key))}";
            j.Finished = _time.GetUtcNow();
        });
        JobMetrics.JobFinished(job);
    }

    private void Fail(JobRecord job, string stage, string error)
    {
        _jobs.Update(job, j =>
        {
            if (j.Stages.LastOrDefault() is not { Ended: null } open || open.Name != stage)
            {
                j.Stages.Add(new JobStageRecord { Name = stage, Started = _time.GetUtcNow() });
            }

            EndStage(j, error);
            j.State = JobState.Failed;
            j.Error = $"{stage}: {error}";
            j.Finished = _time.GetUtcNow();
        });
        JobMetrics.JobFinished(job);
        ServeLog.JobFailed(_logger, job.Id, job.BundleId, job.SeriesInstanceUid, stage, error);
        _audit.Append(new AuditEvent(_time.GetUtcNow(), "failed", null, job.StudyInstanceUid, job.SeriesInstanceUid, job.BundleId, job.RanVersion ?? job.BundleVersion, Detail: $"job {job.Id}: {stage}: {error}"));
    }

    private void EndStage(JobRecord job, string? error = null)
    {
        if (job.Stages.LastOrDefault() is { Ended: null } open)
        {
            open.Ended = _time.GetUtcNow();
            open.Error = error;
            JobMetrics.StageEnded(job, open);
        }
    }

    private static string ReadReason(string deadLetterFolder)
    {
        var reason = Path.Combine(deadLetterFolder, "reason.txt");
        return File.Exists(reason)
            ? File.ReadLines(reason).FirstOrDefault(l => l.StartsWith("last error:", StringComparison.Ordinal))?["last error:".Length..].Trim() ?? "dead-lettered"
            : "dead-lettered";
    }

    private static void CopyToFolder(string source, string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, "." + name + ".tmp");
        File.Copy(source, temporary, overwrite: true);
        DirectorySync.FlushFile(temporary);
        File.Move(temporary, Path.Combine(folder, name), overwrite: true);
        DirectorySync.Flush(folder);
    }
}
