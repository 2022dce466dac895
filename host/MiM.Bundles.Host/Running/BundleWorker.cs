using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Host.Running;

/// <summary>
/// The hosted service of one serving bundle version: a bounded queue and one job at a time, each admitted by the device
/// scheduler and limited by the per-job timeout. A job that throws, hangs past its timeout or runs out of memory fails
/// alone; the worker goes on. When the version retires (<see cref="Complete"/>) the queued jobs still run, then the
/// worker releases the version so it can unload. On host shutdown the running job is cancelled and the rest are reported cancelled.
/// </summary>
public sealed partial class BundleWorker : BackgroundService
{
    private readonly BundleLease _lease;
    private readonly DeviceScheduler _devices;
    private readonly BundleWorkerOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<QueuedJob> _queue;

    /// <summary>A worker that holds <paramref name="lease"/> until its queue is completed and empty.</summary>
    public BundleWorker(BundleLease lease, DeviceScheduler devices, BundleWorkerOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(options);
        _lease = lease;
        _devices = devices;
        _options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<QueuedJob>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>The version this worker runs.</summary>
    public BundleVersion Version => _lease.Version;

    /// <summary>Queues a job; the task completes with its result (Rejected at once when the queue is full or closed).</summary>
    public Task<JobResult> SubmitAsync(BundleInput input)
    {
        var job = new QueuedJob(input);
        return _queue.Writer.TryWrite(job) ? job.Completion.Task : Task.FromResult(Result(JobStatus.Rejected, error: "the queue is full or the version is retiring"));
    }

    /// <summary>Takes no more jobs; the queued ones still run, then the version is released.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (_queue.Reader.TryRead(out var job))
                {
                    job.Completion.TrySetResult(stoppingToken.IsCancellationRequested
                        ? Result(JobStatus.Cancelled, error: "the host is stopping")
                        : await RunAsync(job.Input, stoppingToken).ConfigureAwait(false));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            CancelQueued();
        }
        finally
        {
            _lease.Dispose();
        }
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // BackgroundService starts ExecuteAsync with the stopping token: stopped before it ran, it never runs,
            // so the queue and the version are released here too (both idempotent).
            CancelQueued();
            _lease.Dispose();
        }
    }

    private void CancelQueued()
    {
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var job))
        {
            job.Completion.TrySetResult(Result(JobStatus.Cancelled, error: "the host is stopping"));
        }
    }

    private async Task<JobResult> RunAsync(BundleInput input, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(_options.JobTimeout);
        var bundle = _lease.Bundle;
        try
        {
            using var memory = await _devices.AcquireAsync(Version.Device ?? "cpu", bundle.EstimateMemory(input.Volume.Size).DeviceBytes, timeout.Token).ConfigureAwait(false);

            // WaitAsync: a plugin that ignores its token still releases the worker at the timeout.
            return await RunOnBundleAsync(bundle, input, timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return Result(JobStatus.Cancelled, error: "the host is stopping");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            LogJobFailed(_logger, Version.Name, "timed out");
            return Result(JobStatus.TimedOut, error: $"no result within {_options.JobTimeout}");
        }
        catch (OutOfMemoryException e)
        {
            LogJobFailed(_logger, Version.Name, "out of memory");
            return Result(JobStatus.Failed, error: $"out of memory: {e.Message}");
        }
#pragma warning disable CA1031 // A plugin's fault of any type fails its job, never the worker.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogJobFailed(_logger, Version.Name, e.GetType().Name);
            return Result(JobStatus.Failed, error: $"{e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<JobResult> RunOnBundleAsync(IBundle bundle, BundleInput input, CancellationToken cancellationToken) => bundle switch
    {
        IEncoderBundle encoder => Result(JobStatus.Succeeded, features: await encoder.EncodeAsync(input.Volume, cancellationToken).ConfigureAwait(false)),
        ISegmentationBundle segmentation => Result(JobStatus.Succeeded, labels: await segmentation.SegmentAsync(input, cancellationToken).ConfigureAwait(false)),
        IClassificationBundle classification => Result(JobStatus.Succeeded, classification: await classification.ClassifyAsync(input, cancellationToken).ConfigureAwait(false)),
        _ => throw new InvalidOperationException($"{bundle.GetType().Name} implements no task contract"),
    };

    private JobResult Result(
        JobStatus status,
        Contracts.Imaging.LabelMap? labels = null,
        Contracts.Results.ClassificationResult? classification = null,
        string? error = null,
        IEncodedFeatures? features = null) =>
        new(Version.Id ?? "", Version.Version?.ToString() ?? "", status, labels, classification, error, features);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A job of bundle {Name} failed: {Reason}")]
    private static partial void LogJobFailed(ILogger logger, string name, string reason);

    private sealed record QueuedJob(BundleInput Input)
    {
        public TaskCompletionSource<JobResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
