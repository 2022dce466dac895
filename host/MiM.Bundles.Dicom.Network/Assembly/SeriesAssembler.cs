using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Dicom.Network.Inbox;

namespace MiM.Bundles.Dicom.Network.Assembly;

/// <summary>
/// Groups committed instances by series (or study) and hands a group on once no instance of it arrived for the
/// quiet period. An instance that arrives after its group was handed on starts a new group of the same key (the
/// next generation): the router sees it as a separate, later series. After a restart the assembler rebuilds itself
/// from the inbox: instances not recorded in a hand-off marker are pending again (their quiet period starts anew),
/// those recorded are never handed on twice.
/// </summary>
public sealed class SeriesAssembler : IAsyncDisposable
{
    private readonly SeriesAssemblerOptions _options;
    private readonly ICompletedSeriesHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HandOffMarkers _markers;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PendingGroup> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lastGeneration = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _handOffs = [];
    private readonly CancellationTokenSource _stopping = new();
    private DurableInbox? _inbox;
    private long _handedOn;

    /// <summary>Creates the assembler; <see cref="Start"/> connects it to an inbox.</summary>
    public SeriesAssembler(SeriesAssemblerOptions options, ICompletedSeriesHandler handler, TimeProvider timeProvider, ILogger<SeriesAssembler>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.QuietPeriod, TimeSpan.Zero);
        _options = options;
        _handler = handler;
        _time = timeProvider;
        _logger = logger ?? NullLogger<SeriesAssembler>.Instance;
        _markers = new HandOffMarkers(options.StateFolder, _logger);
    }

    /// <summary>Groups waiting for their quiet period to end.</summary>
    public int PendingGroups
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Groups handed on since the assembler started.</summary>
    public long HandedOnCount => Interlocked.Read(ref _handedOn);

    /// <summary>
    /// Rebuilds the pending groups from what <paramref name="inbox"/> holds and the hand-off markers, then follows the
    /// inbox's new commits. Subscribing before the scan means an instance committed meanwhile is seen (once) either way.
    /// </summary>
    public void Start(DurableInbox inbox)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        if (Interlocked.CompareExchange(ref _inbox, inbox, null) is not null)
        {
            throw new InvalidOperationException("the assembler is already started");
        }

        var (handedOn, generations) = _markers.ReadAll();
        lock (_gate)
        {
            foreach (var (key, generation) in generations)
            {
                _lastGeneration[key] = generation;
            }
        }

        inbox.InstanceCommitted += OnCommitted;
        var pending = 0;
        foreach (var instance in inbox.EnumerateCommitted(sop => !handedOn.Contains(sop)))
        {
            pending += Add(instance) ? 1 : 0;
        }

        AssemblyLog.Rebuilt(_logger, pending, PendingGroups, handedOn.Count);
    }

    /// <summary>Adds one committed instance; false when it is already pending or being handed on (then nothing changes).
    /// Offered again after its group was handed on, it counts as a late arrival.</summary>
    public bool Add(CommittedInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var key = _options.GroupBy == AssemblyGrouping.Series ? instance.SeriesInstanceUid : instance.StudyInstanceUid;
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_seen.Add(instance.SopInstanceUid))
            {
                return false;
            }

            if (!_pending.TryGetValue(key, out var group))
            {
                var generation = _lastGeneration.GetValueOrDefault(key) + 1;
                _lastGeneration[key] = generation;
                if (generation > 1)
                {
                    AssemblyLog.LateArrival(_logger, instance.SopInstanceUid, key, generation);
                }

                group = new PendingGroup(key, generation, now);
                group.Timer = _time.CreateTimer(OnQuietPeriodTimer, group, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _pending.Add(key, group);
            }

            group.Instances.Add(instance);
            group.LastArrival = now;
            group.Timer!.Change(_options.QuietPeriod, Timeout.InfiniteTimeSpan);
        }

        return true;
    }

    /// <summary>Waits for the hand-offs in progress (a graceful stop, or a test, waits here).</summary>
    public async Task DrainAsync()
    {
        Task[] running;
        lock (_gate)
        {
            running = [.. _handOffs];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    /// <summary>Stops following the inbox and waits for hand-offs in progress; pending groups are rebuilt at the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_inbox is { } inbox)
        {
            inbox.InstanceCommitted -= OnCommitted;
        }

        lock (_gate)
        {
            foreach (var group in _pending.Values)
            {
                group.Timer?.Dispose();
            }

            _pending.Clear();
        }

        await DrainAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void OnCommitted(object? sender, CommittedInstance instance) => Add(instance);

    private void OnQuietPeriodTimer(object? state)
    {
        var group = (PendingGroup)state!;
        lock (_gate)
        {
            if (!_pending.TryGetValue(group.Key, out var current) || !ReferenceEquals(current, group))
            {
                return; // already handed on (a timer callback can race with its own re-arming)
            }

            var quietFor = _time.GetUtcNow() - group.LastArrival;
            if (quietFor < _options.QuietPeriod)
            {
                group.Timer!.Change(_options.QuietPeriod - quietFor, Timeout.InfiniteTimeSpan);
                return;
            }

            _pending.Remove(group.Key);
            group.Timer!.Dispose();
        }

        // Started outside the lock: a handler that fails at once makes the group pending again through Add.
        var handOff = HandOnAsync(group);
        lock (_gate)
        {
            if (!handOff.IsCompleted)
            {
                _handOffs.Add(handOff);
            }
        }

        _ = handOff.ContinueWith(Forget, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Forget(Task handOff)
    {
        lock (_gate)
        {
            _handOffs.Remove(handOff);
        }
    }

    private async Task HandOnAsync(PendingGroup group)
    {
        var completed = new CompletedSeries(group.Key, _options.GroupBy, group.Generation, [.. group.Instances], group.FirstArrival, group.LastArrival);
        try
        {
            AssemblyLog.Completed(_logger, _options.GroupBy, group.Key, group.Generation, completed.InstanceCount);
            await _handler.HandleAsync(completed, _stopping.Token).ConfigureAwait(false);

            // The marker follows the hand-off: a crash between the two hands the group on again after a restart
            // (at least once), never loses it.
            _markers.Write(completed, _time.GetUtcNow());
            lock (_gate)
            {
                // Only the start-up scan can offer an instance twice; the inbox announces each one once. Forgetting
                // handed-on UIDs keeps the memory of a long-running host bounded by what is pending.
                _seen.ExceptWith(completed.Instances.Select(i => i.SopInstanceUid));
            }

            Interlocked.Increment(ref _handedOn);
            AssemblyMetrics.HandedOn.Add(1);
        }
#pragma warning disable CA1031 // Whatever the handler throws, the group must not be lost: it becomes pending again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            AssemblyLog.HandOffFailed(_logger, ex, _options.GroupBy, group.Key, group.Generation);
            lock (_gate)
            {
                foreach (var instance in group.Instances)
                {
                    _seen.Remove(instance.SopInstanceUid);
                }

                if (_lastGeneration.GetValueOrDefault(group.Key) == group.Generation)
                {
                    _lastGeneration[group.Key] = group.Generation - 1; // nothing newer started: retry under the same generation
                }
            }

            if (!_stopping.IsCancellationRequested)
            {
                foreach (var instance in group.Instances)
                {
                    Add(instance);
                }
            }
        }
    }

    private sealed class PendingGroup(string key, int generation, DateTimeOffset firstArrival)
    {
        public string Key { get; } = key;

        public int Generation { get; } = generation;

        public DateTimeOffset FirstArrival { get; } = firstArrival;

        public DateTimeOffset LastArrival { get; set; } = firstArrival;

        public List<CommittedInstance> Instances { get; } = [];

        public ITimer? Timer { get; set; }
    }
}
