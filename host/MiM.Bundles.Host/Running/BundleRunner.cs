using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Host.Running;

/// <summary>
/// Starts a <see cref="BundleWorker"/> for each version the catalog puts into service and completes it when the
/// version retires (shadow candidates too), so jobs queued before a switch finish on the old version and new jobs go to the new one.
/// </summary>
public sealed class BundleRunner : IAsyncDisposable
{
    private readonly BundleCatalog _catalog;
    private readonly DeviceScheduler _devices;
    private readonly BundleWorkerOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ConcurrentDictionary<BundleVersion, BundleWorker> _workers = new();
    private readonly ConcurrentBag<Task> _starting = [];
    private readonly ConcurrentBag<BundleWorker> _retired = [];

    /// <summary>Starts workers for the versions serving now and for each one that starts serving later.</summary>
    public BundleRunner(BundleCatalog catalog, DeviceScheduler devices, BundleWorkerOptions options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _devices = devices;
        _options = options;
        _loggers = loggers;
        catalog.VersionServing += OnServing;
        catalog.VersionShadowing += OnShadowing;
        catalog.VersionRetiring += OnRetiring;
        foreach (var version in catalog.AllServing)
        {
            OnServing(catalog, version);
        }

        foreach (var version in catalog.AllShadows)
        {
            OnShadowing(catalog, version);
        }
    }

    /// <summary>Runs one job on the serving version of <paramref name="bundleId"/>.</summary>
    public Task<JobResult> SubmitAsync(string bundleId, BundleInput input)
    {
        var version = _catalog.Serving(bundleId);
        return version is not null && _workers.TryGetValue(version, out var worker)
            ? worker.SubmitAsync(input)
            : Task.FromResult(new JobResult(bundleId, "", JobStatus.Rejected, Error: $"{bundleId} is not serving"));
    }

    /// <summary>Runs one job on the shadow candidate of <paramref name="bundleId"/>; rejected when there is none (cleared or promoted).</summary>
    public Task<JobResult> SubmitShadowAsync(string bundleId, BundleInput input)
    {
        var version = _catalog.Shadow(bundleId);
        return version is not null && _workers.TryGetValue(version, out var worker)
            ? worker.SubmitAsync(input)
            : Task.FromResult(new JobResult(bundleId, "", JobStatus.Rejected, Error: $"{bundleId} has no shadow candidate"));
    }

    /// <summary>Stops every worker: running jobs are cancelled, queued ones reported cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        _catalog.VersionServing -= OnServing;
        _catalog.VersionShadowing -= OnShadowing;
        _catalog.VersionRetiring -= OnRetiring;
        await Task.WhenAll(_starting).ConfigureAwait(false);
        foreach (var worker in _workers.Values.Concat(_retired))
        {
            await worker.StopAsync(CancellationToken.None).ConfigureAwait(false);
            worker.Dispose();
        }

        _workers.Clear();
    }

    private void OnServing(object? sender, BundleVersion version) => Start(version, _catalog.Acquire(version.Id!));

    // A promoted shadow keeps the worker it had: the queue and lease carry over, so Start finds it and stops.
    private void OnShadowing(object? sender, BundleVersion version) => Start(version, _catalog.AcquireShadow(version.Id!));

    private void Start(BundleVersion version, BundleLease? held)
    {
        if (held is not { } lease || lease.Version != version)
        {
            held?.Dispose();
            return;
        }

        var worker = new BundleWorker(lease, _devices, _options, _loggers.CreateLogger<BundleWorker>());
        if (_workers.TryAdd(version, worker))
        {
            // Not awaited: this runs inside the catalog's scan (an event), and BackgroundService.StartAsync only
            // schedules ExecuteAsync; blocking on it here could deadlock a caller's synchronisation context.
            _starting.Add(worker.StartAsync(CancellationToken.None));
        }
        else
        {
            worker.Dispose();
            lease.Dispose();
        }
    }

    private void OnRetiring(object? sender, BundleVersion version)
    {
        if (_workers.TryRemove(version, out var worker))
        {
            worker.Complete();
            _retired.Add(worker);
        }
    }
}
