using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Host.Loading;
using Semver;

namespace MiM.Bundles.Host.Catalog;

/// <summary>One bundle folder (one version of one bundle id) and its state in the catalog.</summary>
public sealed class BundleVersion
{
    private readonly Lock _gate = new();
    private int _inFlight;
    private TaskCompletionSource? _drained;
    private WeakReference? _context;

    internal BundleVersion(string folder) => Folder = folder;

    /// <summary>The bundle folder.</summary>
    public string Folder { get; }

    /// <summary>The bundle id, once the metadata was read.</summary>
    public string? Id { get; internal set; }

    /// <summary>The version, once the metadata was read.</summary>
    public SemVersion? Version { get; internal set; }

    /// <summary>The metadata, once read.</summary>
    public BundleMetadata? Metadata { get; internal set; }

    /// <summary>The current state.</summary>
    public BundleState State { get; internal set; } = BundleState.Discovered;

    /// <summary>Why the version failed, or why it is held back; null otherwise.</summary>
    public string? FailureReason { get; internal set; }

    /// <summary>The device the version was loaded on.</summary>
    public string? Device { get; internal set; }

    /// <summary>The loaded bundle while loading, warming, serving or draining.</summary>
    public IBundle? Bundle { get; internal set; }

    internal LoadedPlugin? Plugin { get; set; }

    /// <summary>A weak reference to the plugin's load context (alive until unloaded and collected); null before loading.</summary>
    public WeakReference? LoadContext => Plugin?.Context ?? _context;

    /// <summary>"id version" for messages.</summary>
    public string Name => Id is null ? Folder : $"{Id} {Version}";

    /// <summary>Jobs that hold this version now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Counts a job in; false when the version no longer serves nor shadows (the caller asks the catalog again).</summary>
    internal bool TryEnter()
    {
        lock (_gate)
        {
            if (State is not (BundleState.Serving or BundleState.Shadow))
            {
                return false;
            }

            _inFlight++;
            return true;
        }
    }

    /// <summary>Counts a job out; completes the drain when the last one leaves a draining version.</summary>
    internal void Exit()
    {
        lock (_gate)
        {
            _inFlight--;
            if (_inFlight == 0 && State == BundleState.Draining)
            {
                _drained?.TrySetResult();
            }
        }
    }

    /// <summary>Stops taking jobs; the task completes when the jobs in flight are done.</summary>
    internal Task DrainAsync()
    {
        lock (_gate)
        {
            State = BundleState.Draining;
            _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inFlight == 0)
            {
                _drained.TrySetResult();
            }

            return _drained.Task;
        }
    }

    /// <summary>Disposes the bundle and unloads its plugin.</summary>
    internal void Unload()
    {
        Bundle?.Dispose();
        Bundle = null;
        if (Plugin is { } plugin)
        {
            _context = plugin.Context;
            plugin.Dispose();
            Plugin = null;
        }

        State = BundleState.Unloaded;
    }
}
