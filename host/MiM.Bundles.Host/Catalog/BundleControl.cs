using Microsoft.Extensions.Logging;
using MiM.Bundles.Host.Audit;
using Semver;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// <see cref="IBundleControl"/> over a running <see cref="BundleCatalog"/>: each call writes the decision to the
/// durable <see cref="SiteControlFile"/> (so it survives a restart and `mim bundle list` sees it), audits who asked,
/// then rescans so the catalog applies it with its usual rule (a replacement serves only after its warm-up).
/// </summary>
/// <param name="catalog">The running catalog.</param>
/// <param name="audit">Where every request is recorded.</param>
/// <param name="clock">The time of decisions.</param>
/// <param name="logger">Logs each request.</param>
public sealed partial class BundleControl(BundleCatalog catalog, IAuditLog audit, TimeProvider clock, ILogger<BundleControl> logger) : IBundleControl
{
    /// <inheritdoc/>
    public async Task<string?> PinAsync(string bundleId, string? versionOrRange, string requestedBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(bundleId);
        if (versionOrRange is not null && !BundlePins.IsValid(versionOrRange))
        {
            throw new FormatException($"\"{versionOrRange}\" is neither a version nor a range");
        }

        catalog.ControlFile.Update(control => WithPin(control, bundleId, versionOrRange is null ? null : new OperatorPin(versionOrRange, requestedBy, clock.GetUtcNow())));
        Record("bundle-pin", bundleId, null, versionOrRange is null ? $"runtime pin removed by {requestedBy}" : $"pin to {versionOrRange} requested by {requestedBy}");
        await catalog.ScanAsync(cancellationToken).ConfigureAwait(false);
        return catalog.Serving(bundleId)?.Version?.ToString();
    }

    /// <inheritdoc/>
    /// <remarks>When the target fails to warm up, the previous pin is restored, the serving version stays, and this throws.</remarks>
    public async Task<string> RollbackAsync(string bundleId, string? toVersion, string requestedBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(bundleId);
        var installed = InstalledVersion.Scan(catalog.ControlFile.Directory).Where(v => v.Id == bundleId).ToList();
        var control = catalog.ControlFile.Read();
        var from = catalog.Serving(bundleId)?.Version;
        var target = RollbackTarget.Choose(bundleId, toVersion, from, installed, control);
        var previous = control.Pins.GetValueOrDefault(bundleId);
        var reason = $"rollback from {from?.ToString() ?? "none"}";
        catalog.ControlFile.Update(c => WithPin(c, bundleId, new OperatorPin(target.ToString(), requestedBy, clock.GetUtcNow(), reason)));
        Record("bundle-rollback", bundleId, target, $"{reason} to {target} requested by {requestedBy}");
        LogRollback(logger, bundleId, from?.ToString() ?? "none", target.ToString(), requestedBy);
        await catalog.ScanAsync(cancellationToken).ConfigureAwait(false);

        var serving = catalog.Serving(bundleId);
        if (serving?.Version is { } now && now.ComparePrecedenceTo(target) == 0)
        {
            return now.ToString();
        }

        var failure = catalog.Versions.FirstOrDefault(v => v.Id == bundleId && v.Version is not null && v.Version.ComparePrecedenceTo(target) == 0)?.FailureReason ?? "it did not load";
        catalog.ControlFile.Update(c => WithPin(c, bundleId, previous));
        Record("bundle-rollback-failed", bundleId, target, $"{target} did not take over ({failure}); {serving?.Version?.ToString() ?? "nothing"} serves; the previous pin is restored");
        await catalog.ScanAsync(cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException($"rollback of {bundleId} to {target} failed: {failure}; {serving?.Version?.ToString() ?? "nothing"} serves");
    }

    /// <inheritdoc/>
    public async Task<string?> ShadowAsync(string bundleId, string? version, string requestedBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(bundleId);
        var installed = InstalledVersion.Scan(catalog.ControlFile.Directory);
        var serving = catalog.Serving(bundleId)?.Version;
        catalog.ControlFile.Update(c => ShadowDecision.Shadow(c, bundleId, version, serving, installed, requestedBy, clock.GetUtcNow()));
        Record("bundle-shadow", bundleId, null, version is null ? $"shadow cleared by {requestedBy}" : $"shadow {version} beside {serving?.ToString() ?? "none"} requested by {requestedBy}");
        await catalog.ScanAsync(cancellationToken).ConfigureAwait(false);
        return catalog.Shadow(bundleId)?.Version?.ToString();
    }

    /// <inheritdoc/>
    public async Task<string> PromoteAsync(string bundleId, string version, string requestedBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(bundleId);
        var installed = InstalledVersion.Scan(catalog.ControlFile.Directory);
        var before = catalog.ControlFile.Read();
        var from = catalog.Serving(bundleId)?.Version;
        var reason = $"promoted from {from?.ToString() ?? "none"}";
        var after = catalog.ControlFile.Update(c => ShadowDecision.Promote(c, bundleId, version, installed, requestedBy, clock.GetUtcNow(), reason));
        var target = after.Pins[bundleId].Range;
        Record("bundle-promote", bundleId, null, $"{reason} to {target} requested by {requestedBy}");
        LogPromote(logger, bundleId, from?.ToString() ?? "none", target, requestedBy);
        await catalog.ScanAsync(cancellationToken).ConfigureAwait(false);

        var serving = catalog.Serving(bundleId);
        if (serving?.Version?.ToString() == target)
        {
            return target;
        }

        var failure = catalog.Versions.FirstOrDefault(v => v.Id == bundleId && v.Version?.ToString() == target)?.FailureReason ?? "it did not load";
        catalog.ControlFile.Update(c => Restored(c, bundleId, before));
        Record("bundle-promote-failed", bundleId, null, $"{target} did not take over ({failure}); {serving?.Version?.ToString() ?? "nothing"} serves; the previous pin and shadow are restored");
        await catalog.ScanAsync(cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException($"promotion of {bundleId} to {target} failed: {failure}; {serving?.Version?.ToString() ?? "nothing"} serves");
    }

    /// <inheritdoc/>
    public async Task UnloadAsync(string bundleId, string requestedBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(bundleId);
        var note = new OperatorNote(requestedBy, clock.GetUtcNow());
        catalog.ControlFile.Update(c => c with { Unloaded = new Dictionary<string, OperatorNote>(c.Unloaded, StringComparer.Ordinal) { [bundleId] = note } });
        Record("bundle-unload", bundleId, catalog.Serving(bundleId)?.Version, $"unload requested by {requestedBy}");
        await catalog.ScanAsync(cancellationToken).ConfigureAwait(false);
        await catalog.RetiredAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task LoadAsync(string bundleId, string requestedBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(bundleId);
        catalog.ControlFile.Update(c =>
        {
            var unloaded = new Dictionary<string, OperatorNote>(c.Unloaded, StringComparer.Ordinal);
            unloaded.Remove(bundleId);
            return c with { Unloaded = unloaded };
        });
        Record("bundle-load", bundleId, null, $"load requested by {requestedBy}");
        await catalog.RetryFailedAsync(bundleId, cancellationToken).ConfigureAwait(false);
        await catalog.ScanAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary><paramref name="control"/> with the pin and shadow of <paramref name="id"/> as in <paramref name="before"/> (other ids untouched).</summary>
    private static SiteControl Restored(SiteControl control, string id, SiteControl before)
    {
        var shadows = new Dictionary<string, ShadowCandidate>(control.Shadows, StringComparer.Ordinal);
        if (before.Shadows.TryGetValue(id, out var shadow))
        {
            shadows[id] = shadow;
        }
        else
        {
            shadows.Remove(id);
        }

        return WithPin(control, id, before.Pins.GetValueOrDefault(id)) with { Shadows = shadows };
    }

    private static SiteControl WithPin(SiteControl control, string id, OperatorPin? pin)
    {
        var pins = new Dictionary<string, OperatorPin>(control.Pins, StringComparer.Ordinal);
        if (pin is null)
        {
            pins.Remove(id);
        }
        else
        {
            pins[id] = pin;
        }

        return control with { Pins = pins };
    }

    private void Record(string action, string id, SemVersion? version, string detail) =>
        audit.Append(new AuditEvent(clock.GetUtcNow(), action, BundleId: id, BundleVersion: version?.ToString(), Detail: detail));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Promotion of {Id} from {From} to {To} requested by {By}")]
    private static partial void LogPromote(ILogger logger, string id, string from, string to, string by);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rollback of {Id} from {From} to {To} requested by {By}")]
    private static partial void LogRollback(ILogger logger, string id, string from, string to, string by);
}
