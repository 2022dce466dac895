using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Host.Audit;
using MiM.Bundles.Host.Loading;
using MiM.Bundles.Packaging.Installation;
using MiM.Bundles.Packaging.Refusals;
using Semver;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// Knows every bundle version in the bundle directory and which one serves per bundle id. A scan picks up complete new
/// folders (<see cref="CompletionMarker"/>), validates, loads, warms and then switches each id to its new version
/// atomically, after which the old version drains and unloads; a removed folder drains and unloads. Each scan also
/// re-reads the site's runtime decisions (<see cref="SiteControlFile"/>: operator pins over the configured ones,
/// unloaded ids, refused versions) and re-evaluates which version of each id should serve under them, with the same
/// rule: a replacement serves only after its warm-up, and a failed one leaves the serving version in place. A shadow
/// candidate of an id (<see cref="SiteControl.Shadows"/>) is loaded and warmed beside the serving version and kept in
/// <see cref="BundleState.Shadow"/>; when a later scan finds it no longer the shadow but allowed to serve (a promotion
/// pins it), it switches to serving in place, already warm, and the old version drains.
/// </summary>
public sealed partial class BundleCatalog : IAsyncDisposable
{
    private readonly BundleCatalogOptions _options;
    private readonly PluginLocator _locator;
    private readonly ILogger _logger;
    private readonly Running.DeviceScheduler _devices;
    private readonly SemaphoreSlim _scanning = new(1, 1);
    private readonly ConcurrentDictionary<string, BundleVersion> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BundleVersion> _serving = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BundleVersion> _shadows = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _retiring = [];
    private readonly SiteControlFile _controlFile;
    private readonly IAuditLog? _audit;
    private readonly TimeProvider _clock;
    private SiteControl? _control;
    private BundlePins _pins;

    /// <summary>Creates the catalog; nothing is loaded until <see cref="ScanAsync"/>.</summary>
    /// <param name="options">Directory, pins, intervals.</param>
    /// <param name="locator">Where each kind's plugin is.</param>
    /// <param name="logger">Logs state changes (bundle ids, versions and folders only).</param>
    /// <param name="devices">Places each version on the device with the most free memory; the CPU alone when null.</param>
    /// <param name="audit">Records loads, failures, unloads and pin changes; none when null.</param>
    /// <param name="clock">The time of audit events.</param>
    public BundleCatalog(
        BundleCatalogOptions options,
        PluginLocator locator,
        ILogger<BundleCatalog> logger,
        Running.DeviceScheduler? devices = null,
        IAuditLog? audit = null,
        TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _locator = locator;
        _logger = logger;
        _devices = devices ?? Running.DeviceScheduler.CpuOnly();
        _audit = audit;
        _clock = clock ?? TimeProvider.System;
        _controlFile = new SiteControlFile(options.Directory);
        _pins = options.Pins;
    }

    /// <summary>The pins in force: the configured ones with the runtime pins of <see cref="SiteControlFile"/> over them.</summary>
    public BundlePins Pins => _pins;

    /// <summary>The runtime decisions as of the last scan.</summary>
    public SiteControl Control => _control ?? SiteControl.Empty;

    /// <summary>The durable runtime decisions this catalog follows.</summary>
    public SiteControlFile ControlFile => _controlFile;

    /// <summary>Raised after a version starts serving (its id now routes to it).</summary>
    public event EventHandler<BundleVersion>? VersionServing;

    /// <summary>Raised after a shadow candidate warmed up (its id's series now also run on it, results kept on the host).</summary>
    public event EventHandler<BundleVersion>? VersionShadowing;

    /// <summary>Raised when a serving or shadow version stops taking jobs (replaced, removed, host stopping), before it drains.</summary>
    public event EventHandler<BundleVersion>? VersionRetiring;

    /// <summary>Every version the catalog knows, unloaded ones excluded.</summary>
    public IReadOnlyList<BundleVersion> Versions => [.. _versions.Values.OrderBy(v => v.Folder, StringComparer.Ordinal)];

    /// <summary>The serving version of <paramref name="id"/>, or null.</summary>
    public BundleVersion? Serving(string id) => _serving.GetValueOrDefault(id);

    /// <summary>Every serving version.</summary>
    public IReadOnlyList<BundleVersion> AllServing => [.. _serving.Values];

    /// <summary>Every shadow candidate that warmed up.</summary>
    public IReadOnlyList<BundleVersion> AllShadows => [.. _shadows.Values];

    /// <summary>The shadow candidate of <paramref name="id"/> once warmed up, or null.</summary>
    public BundleVersion? Shadow(string id) => _shadows.GetValueOrDefault(id);

    /// <summary>Holds the serving version of <paramref name="id"/> for a job, or returns null when none serves.</summary>
    public BundleLease? Acquire(string id) => Acquire(_serving, id);

    /// <summary>Holds the shadow candidate of <paramref name="id"/> for a job, or returns null when there is none.</summary>
    public BundleLease? AcquireShadow(string id) => Acquire(_shadows, id);

    private static BundleLease? Acquire(ConcurrentDictionary<string, BundleVersion> versions, string id)
    {
        // A switch can retire the version between the read and the count; then the new one is read again.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (!versions.TryGetValue(id, out var version))
            {
                return null;
            }

            if (version.TryEnter())
            {
                return new BundleLease(version);
            }
        }

        return null;
    }

    /// <summary>Holds the serving encoder <paramref name="id"/> when its version is in <paramref name="range"/>.</summary>
    public BundleLease? AcquireEncoder(string id, SemVersionRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        var lease = Acquire(id);
        if (lease is not null && (lease.Bundle is not IEncoderBundle || !lease.Version.Version!.Satisfies(range)))
        {
            lease.Dispose();
            return null;
        }

        return lease;
    }

    /// <summary>Looks at the bundle directory once: loads what is new and complete, retires what was removed.</summary>
    public async Task ScanAsync(CancellationToken cancellationToken)
    {
        await _scanning.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RefreshControl();
            var present = BundleFolders.Enumerate(_options.Directory).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _versions.Values.Where(v => !present.Contains(v.Folder)).ToList())
            {
                Retire(gone, "its folder was removed");
            }

            foreach (var unloaded in _serving.Values.Where(v => Control.Unloaded.ContainsKey(v.Id!)).ToList())
            {
                Retire(unloaded, $"unloaded by {Control.Unloaded[unloaded.Id!].By}");
            }

            foreach (var refused in _serving.Values.Where(v => Control.IsRefused(v.Id!, v.Version!.ToString())).ToList())
            {
                Retire(refused, "refused");
            }

            SettleShadows();

            foreach (var folder in present.Where(f => !_versions.ContainsKey(f) && CompletionMarker.IsComplete(f)))
            {
                Discover(folder);
            }

            // Every version not yet tried is a candidate, not only new ones: a pin or rollback may now prefer an older
            // one. Encoders first (a head warms up on the features of the encoder it requires), then newest first.
            var candidates = _versions.Values.Where(v => v.State == BundleState.Discovered)
                .OrderBy(v => v.Metadata?.Task == BundleTasks.Encoder ? 0 : 1)
                .ThenByDescending(v => v.Version!, SemVersion.SortOrderComparer)
                .ToList();
            foreach (var version in candidates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (ShouldLoad(version))
                {
                    await BringUpAsync(version, asShadow: false, cancellationToken).ConfigureAwait(false);
                }
            }

            foreach (var candidate in ShadowCandidates())
            {
                cancellationToken.ThrowIfCancellationRequested();
                await BringUpAsync(candidate, asShadow: true, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _scanning.Release();
        }
    }

    /// <summary>
    /// Forgets the failed versions of <paramref name="id"/> so that the next scan tries them again (an operator's
    /// load after fixing what failed). Refused versions stay refused.
    /// </summary>
    public async Task RetryFailedAsync(string id, CancellationToken cancellationToken)
    {
        await _scanning.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var failed in _versions.Values.Where(v => v.Id == id && v.State == BundleState.Failed).ToList())
            {
                _versions.TryRemove(failed.Folder, out _);
            }
        }
        finally
        {
            _scanning.Release();
        }
    }

    /// <summary>Drains and unloads every version.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var version in _versions.Values.ToList())
        {
            Retire(version, "the host is stopping");
        }

        await Task.WhenAll(_retiring).ConfigureAwait(false);
        _scanning.Dispose();
    }

    /// <summary>Waits until every retired version has drained and unloaded.</summary>
    public Task RetiredAsync() => Task.WhenAll(_retiring);

    private BundleVersion Discover(string folder)
    {
        var version = new BundleVersion(folder);
        _versions[folder] = version;
        var problems = new List<BundleProblem>();
        version.Metadata = MetadataReader.Read(folder, problems);
        version.Id = version.Metadata?.Id;
        if (version.Metadata?.Version is { } text && SemVersion.TryParse(text, SemVersionStyles.Strict, out var parsed))
        {
            version.Version = parsed;
        }

        LogState(_logger, version.Name, folder, BundleState.Discovered);
        return version;
    }

    private bool ShouldLoad(BundleVersion version)
    {
        if (version.Id is null || version.Version is null)
        {
            Fail(version, "configs/metadata.json has no readable id and semantic version");
            return false;
        }

        if (Control.Unloaded.TryGetValue(version.Id, out var unloaded))
        {
            return HoldBack(version, $"held back: {version.Id} was unloaded by {unloaded.By}");
        }

        if (Control.RefusalOf(version.Id, version.Version.ToString()) is { } refusal)
        {
            return HoldBack(version, $"refused: {refusal.Reason}");
        }

        if (!_pins.Allows(version.Id, version.Version))
        {
            return HoldBack(version, $"held back: {version.Id} is pinned to {_pins.PinOf(version.Id)}");
        }

        if (Control.IsShadow(version.Id, version.Version))
        {
            return HoldBack(version, $"shadow candidate: runs beside the serving version of {version.Id} until promoted");
        }

        // Only a better allowed version replaces the one serving (a pin that now excludes the serving one counts as better).
        var current = Serving(version.Id);
        var better = current is null || !_pins.Allows(version.Id, current.Version!) || version.Version.ComparePrecedenceTo(current.Version) > 0;
        return better || HoldBack(version, $"held back: {version.Id} {current!.Version} serves and is newer");
    }

    /// <summary>
    /// Shadows no longer asked for leave: one that may now serve (a promotion pinned it and it is better than what
    /// serves) switches to serving in place, already warm; the others drain and unload. Unloaded or refused ids lose
    /// their shadow too.
    /// </summary>
    private void SettleShadows()
    {
        foreach (var shadow in _shadows.Values.ToList())
        {
            var id = shadow.Id!;
            if (Control.Unloaded.ContainsKey(id) || Control.IsRefused(id, shadow.Version!.ToString()))
            {
                Retire(shadow, "its bundle id was unloaded or the version refused");
            }
            else if (!Control.IsShadow(id, shadow.Version!))
            {
                if (MayServe(shadow))
                {
                    Promote(shadow);
                }
                else
                {
                    Retire(shadow, "no longer the shadow candidate");
                }
            }
        }
    }

    private bool MayServe(BundleVersion version)
    {
        if (!_pins.Allows(version.Id!, version.Version!))
        {
            return false;
        }

        var current = Serving(version.Id!);
        return current is null || !_pins.Allows(version.Id!, current.Version!) || version.Version!.ComparePrecedenceTo(current.Version) > 0;
    }

    /// <summary>The discovered versions named as shadow candidates that are not loaded yet and may be tried.</summary>
    private List<BundleVersion> ShadowCandidates()
    {
        var candidates = new List<BundleVersion>();
        foreach (var (id, shadow) in Control.Shadows)
        {
            var version = _versions.Values.FirstOrDefault(v => v.Id == id && v.Version is not null && v.State == BundleState.Discovered && Control.IsShadow(id, v.Version));
            if (version is null || _shadows.ContainsKey(id) || Control.Unloaded.ContainsKey(id) || Control.IsRefused(id, shadow.Version))
            {
                continue;
            }

            if (Serving(id) is null)
            {
                // A shadow compares with what serves: with nothing serving there is nothing to run beside.
                HoldBack(version, $"shadow candidate: held back until a version of {id} serves");
                continue;
            }

            candidates.Add(version);
        }

        return candidates;
    }

    private void Promote(BundleVersion version)
    {
        var id = version.Id!;
        _shadows.TryRemove(new KeyValuePair<string, BundleVersion>(id, version));
        version.FailureReason = null;
        SetState(version, BundleState.Serving);
        var previous = _serving.TryGetValue(id, out var old) ? old : null;
        _serving[id] = version;
        var was = previous?.Version?.ToString() ?? "none";
        LogSwitched(_logger, id, was, version.Version!);
        Audit("bundle-serving", id, version.Version, $"promoted from shadow, serves on {version.Device} (was {was})");
        VersionServing?.Invoke(this, version);
        if (previous is not null)
        {
            Retire(previous, $"replaced by {version.Version}");
        }
    }

    private bool HoldBack(BundleVersion version, string reason)
    {
        // Every scan re-evaluates held-back versions; log only a change of reason.
        if (version.FailureReason != reason)
        {
            version.FailureReason = reason;
            LogHeldBack(_logger, version.Name, reason);
        }

        return false;
    }

    private void RefreshControl()
    {
        SiteControl next;
        try
        {
            next = _controlFile.Read();
            _pins = next.EffectivePins(_options.Pins);
        }
        catch (FormatException e)
        {
            // Keep the last good state: a broken hand edit must not unpin a rolled-back bundle.
            LogControlUnreadable(_logger, _controlFile.Path, e.Message);
            return;
        }

        var previous = _control;
        _control = next;
        if (previous is null)
        {
            return; // the state at start-up was audited when it was written
        }

        foreach (var (id, pin) in next.Pins.Where(p => !previous.Pins.TryGetValue(p.Key, out var old) || old != p.Value))
        {
            Audit("bundle-pin-applied", id, null, $"pinned to {pin.Range} by {pin.By}{(pin.Reason is null ? "" : ": " + pin.Reason)}");
        }

        foreach (var id in previous.Pins.Keys.Where(id => !next.Pins.ContainsKey(id)))
        {
            Audit("bundle-pin-applied", id, null, "runtime pin removed");
        }
    }

    private void Audit(string action, string? id, SemVersion? version, string detail) =>
        _audit?.Append(new AuditEvent(_clock.GetUtcNow(), action, BundleId: id, BundleVersion: version?.ToString(), Detail: detail));

    private void VerifySignature(BundleVersion version)
    {
        if (_options.Trust is not { } trust)
        {
            return;
        }

        if (!CompletionMarker.IsInstalled(version.Folder))
        {
            if (_options.RequireSigned)
            {
                throw new BundleRefusedException(RefusalReason.NoSignature, "the folder was not installed from a signed archive and this host serves signed bundles only");
            }

            return;
        }

        // Verify on load: a file changed on disk after installation, or a signer revoked since, is caught before it serves.
        new BundleInstaller(BundleInstallRoot(version.Folder), trust).VerifyInstalled(version.Folder);
    }

    private static string BundleInstallRoot(string folder) => Path.GetDirectoryName(Path.GetDirectoryName(folder)!)!;

    private async Task BringUpAsync(BundleVersion version, bool asShadow, CancellationToken cancellationToken)
    {
        try
        {
            SetState(version, BundleState.Validating);
            VerifySignature(version);
            var validation = new BundleValidator(new PluginBundleDescriber(_locator)).Validate(version.Folder, KnownEncoderScanner.Scan(_options.Directory));
            if (!validation.IsServable)
            {
                Fail(version, string.Join("; ", validation.Problems));
                return;
            }

            SetState(version, BundleState.Loading);
            var metadata = version.Metadata!;
            version.Plugin = PluginLoaderFactory.Load(_locator.MainAssemblyFor(version.Folder, metadata.Kind!));
            var provider = version.Plugin.ProviderOf(metadata.Kind!) ?? throw new BundleLoadException($"the plugin does not implement kind \"{metadata.Kind}\"");
            version.Device = _devices.Place();
            version.Bundle = provider.Load(BundleContexts.For(version.Folder, metadata, validation.Inference!.Value, version.Device, _logger));

            SetState(version, BundleState.Warming);
            await BundleWarmUp.RunAsync(version, this, cancellationToken).ConfigureAwait(false);
        }
        catch (BundleRefusedException e)
        {
            Fail(version, $"refused ({e.Reason}): {e.Message}");
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Fail(version, $"{e.GetType().Name}: {e.Message}");
            return;
        }

        version.FailureReason = null; // a reason it was held back before no longer applies
        if (asShadow)
        {
            SetState(version, BundleState.Shadow);
            _shadows[version.Id!] = version;
            Audit("bundle-shadowing", version.Id, version.Version, $"runs in shadow on {version.Device} beside {Serving(version.Id!)?.Version?.ToString() ?? "none"}");
            VersionShadowing?.Invoke(this, version);
            return;
        }

        SetState(version, BundleState.Serving);
        var previous = _serving.TryGetValue(version.Id!, out var old) ? old : null;
        _serving[version.Id!] = version;
        var was = previous?.Version?.ToString() ?? "none";
        LogSwitched(_logger, version.Id!, was, version.Version!);
        Audit("bundle-serving", version.Id, version.Version, $"serves on {version.Device} (was {was})");
        VersionServing?.Invoke(this, version);
        if (previous is not null)
        {
            Retire(previous, $"replaced by {version.Version}");
        }
    }

    private void Retire(BundleVersion version, string why)
    {
        if (!_versions.TryRemove(version.Folder, out _))
        {
            return;
        }

        if (version.Id is not null && _serving.TryGetValue(version.Id, out var serving) && serving == version)
        {
            _serving.TryRemove(new KeyValuePair<string, BundleVersion>(version.Id, version));
        }

        if (version.Id is not null && _shadows.TryGetValue(version.Id, out var shadow) && shadow == version)
        {
            _shadows.TryRemove(new KeyValuePair<string, BundleVersion>(version.Id, version));
        }

        LogRetiring(_logger, version.Name, why);
        if (version.State is BundleState.Serving or BundleState.Shadow)
        {
            Audit("bundle-retiring", version.Id, version.Version, why);
            VersionRetiring?.Invoke(this, version);
            _retiring.Add(DrainThenUnloadAsync(version));
        }
        else
        {
            version.Unload();
            LogState(_logger, version.Name, version.Folder, BundleState.Unloaded);
        }
    }

    private async Task DrainThenUnloadAsync(BundleVersion version)
    {
        LogState(_logger, version.Name, version.Folder, BundleState.Draining);
        await version.DrainAsync().ConfigureAwait(false);
        version.Unload();
        LogState(_logger, version.Name, version.Folder, BundleState.Unloaded);
    }

    private void Fail(BundleVersion version, string reason)
    {
        version.FailureReason = reason;
        version.Bundle?.Dispose();
        version.Bundle = null;
        version.Plugin?.Dispose();
        version.Plugin = null;
        version.State = BundleState.Failed;
        LogFailed(_logger, version.Name, reason);
        Audit(reason.StartsWith("refused", StringComparison.Ordinal) ? "bundle-refused" : "bundle-failed", version.Id, version.Version, reason);
    }

    private void SetState(BundleVersion version, BundleState state)
    {
        version.State = state;
        LogState(_logger, version.Name, version.Folder, state);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bundle {Name} ({Folder}): {State}")]
    private static partial void LogState(ILogger logger, string name, string folder, BundleState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bundle {Name} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string name, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bundle {Name} not loaded: {Reason}")]
    private static partial void LogHeldBack(ILogger logger, string name, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bundle {Id} now serves {Version} (was {Previous})")]
    private static partial void LogSwitched(ILogger logger, string id, string previous, SemVersion version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The site control file {Path} is unreadable, the last good state stays in force: {Message}")]
    private static partial void LogControlUnreadable(ILogger logger, string path, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bundle {Name} retiring: {Why}")]
    private static partial void LogRetiring(ILogger logger, string name, string why);
}
