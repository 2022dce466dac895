using Microsoft.Extensions.Logging;
using MiM.Bundles.Host.Audit;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Packaging.Installation;
using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Repository;
using MiM.Bundles.Packaging.Trust;
using Semver;

namespace MiM.Bundles.Host.Subscriptions;

/// <summary>
/// Follows one repository for a running host. Each <see cref="PollOnceAsync"/>: polls the signed index (If-None-Match),
/// picks a release per policy, and for one not yet installed nor refused downloads it (size and SHA-256 against the
/// signed index), installs it atomically through <see cref="BundleInstaller"/> (which verifies the archive), has the
/// catalog scan so the new version loads and warms up beside the serving one, and when it fails to load or warm up
/// rolls back: the version is refused in <see cref="SiteControlFile"/> (never loaded or downloaded again; a newer
/// release is tried), and the serving version, which never stopped serving, stays. Every install, refusal and rollback
/// goes to the audit log.
/// </summary>
public sealed partial class RepositoryFollower : IDisposable
{
    private readonly RepositorySubscription _subscription;
    private readonly BundleCatalog _catalog;
    private readonly TrustStore _trust;
    private readonly RepositoryClient _client;
    private readonly BundleInstaller _installer;
    private readonly SubscriptionStateFile _state;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly HttpClient? _ownHttp;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    /// <summary>A follower of <paramref name="subscription"/> installing into <paramref name="catalog"/>'s directory.</summary>
    /// <param name="subscription">The repository, its trust store and the bundle policies.</param>
    /// <param name="catalog">The running catalog (its directory is where bundles are installed).</param>
    /// <param name="audit">Where installs, refusals and rollbacks are recorded.</param>
    /// <param name="logger">Logs what each poll did.</param>
    /// <param name="http">The HTTP client for an http(s) repository (not disposed here); a folder repository needs none.</param>
    /// <param name="clock">Time for signatures, expiry and audit events.</param>
    /// <exception cref="FormatException">The trust store is malformed.</exception>
    /// <exception cref="FileNotFoundException">The trust store does not exist.</exception>
    public RepositoryFollower(RepositorySubscription subscription, BundleCatalog catalog, IAuditLog audit, ILogger<RepositoryFollower> logger, HttpClient? http = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(catalog);
        _subscription = subscription;
        _catalog = catalog;
        _audit = audit;
        _logger = logger;
        _clock = clock ?? TimeProvider.System;
        _trust = TrustStore.Load(subscription.TrustPath);
        var directory = catalog.ControlFile.Directory;
        _installer = new BundleInstaller(directory, _trust, clock: _clock);
        _state = new SubscriptionStateFile(directory);
        if (subscription.IsFolder)
        {
            _ownHttp = new HttpClient(new FolderRepositoryHandler(subscription.Address.LocalPath));
            http = _ownHttp;
        }

        _client = new RepositoryClient(http ?? throw new ArgumentNullException(nameof(http), "an http(s) repository needs an HttpClient"), subscription.Address, _trust, _clock, _state.SequenceOf(subscription.Address));
    }

    /// <summary>The repository followed.</summary>
    public Uri Repository => _subscription.Address;

    /// <summary>Polls once and acts on every policy; never throws for a refused or unreachable repository (the outcome says it).</summary>
    public async Task<IReadOnlyList<FollowOutcome>> PollOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await _client.PollAsync(cancellationToken).ConfigureAwait(false))
            {
                _state.Remember(Repository, _client.Current!.Sequence);
            }
        }
        catch (BundleRefusedException e)
        {
            ReportOnce("bundle-refused", null, null, $"index of {Repository} refused ({e.Reason}): {e.Message}");
            return [.. _subscription.Bundles.Select(p => new FollowOutcome(p.Id, null, FollowResult.Refused, $"{e.Reason}: {e.Message}"))];
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(_logger, Repository, e.Message);
            return [.. _subscription.Bundles.Select(p => new FollowOutcome(p.Id, null, FollowResult.Unavailable, e.Message))];
        }

        var index = _client.Current;
        var outcomes = new List<FollowOutcome>();
        // Releases that require others (heads) after those that require nothing (encoders): a head's warm-up needs its
        // encoder serving, and a head that failed for want of it would be refused for good.
        foreach (var policy in _subscription.Bundles.OrderBy(p => index is not null && p.Choose(index)?.Requires.Count > 0 ? 1 : 0))
        {
            outcomes.Add(index?.Releases is null ? new FollowOutcome(policy.Id, null, FollowResult.Unavailable, "no index yet") : await FollowAsync(policy, index, cancellationToken).ConfigureAwait(false));
        }

        return outcomes;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _ownHttp?.Dispose();
        _trust.Dispose();
    }

    private async Task<FollowOutcome> FollowAsync(BundlePolicy policy, RepositoryIndex index, CancellationToken cancellationToken)
    {
        if (policy.Choose(index) is not { } release)
        {
            return new FollowOutcome(policy.Id, null, FollowResult.NoRelease);
        }

        if (_catalog.ControlFile.Read().RefusalOf(release.Id, release.Version) is { } refusal)
        {
            return new FollowOutcome(release.Id, release.Version, FollowResult.SkippedRefused, refusal.Reason);
        }

        if (Directory.Exists(_installer.DirectoryOf(release.Id, release.Version)))
        {
            return new FollowOutcome(release.Id, release.Version, FollowResult.UpToDate);
        }

        InstalledBundle installed;
        try
        {
            installed = await InstallAsync(policy, release, cancellationToken).ConfigureAwait(false);
        }
        catch (BundleRefusedException e)
        {
            ReportOnce("bundle-refused", release.Id, release.Version, $"{release.Archive} from {Repository} refused ({e.Reason}): {e.Message}");
            return new FollowOutcome(release.Id, release.Version, FollowResult.Refused, $"{e.Reason}: {e.Message}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(_logger, Repository, e.Message);
            return new FollowOutcome(release.Id, release.Version, FollowResult.Unavailable, e.Message);
        }

        Record("bundle-installed", installed.Id, installed.Version, $"from {Repository} ({release.Channel}), signed by {installed.Archive.Publisher.Key.KeyId}, at {installed.Directory}");
        LogInstalled(_logger, installed.Id, installed.Version, Repository);
        return await WarmUpOrRollBackAsync(installed, cancellationToken).ConfigureAwait(false);
    }

    private async Task<InstalledBundle> InstallAsync(BundlePolicy policy, IndexRelease release, CancellationToken cancellationToken)
    {
        var download = await _client.DownloadAsync(release, Path.Combine(_installer.BundlesDirectory, BundleInstaller.StagingFolder), cancellationToken).ConfigureAwait(false);
        try
        {
            var pins = policy.Pinned is null ? new Dictionary<string, SemVersion>() : new Dictionary<string, SemVersion> { [policy.Id] = policy.Pinned };
            var installed = _installer.Install(download, new InstallPolicy { Pins = pins });
            return installed.Id == release.Id && installed.Version == release.Version
                ? installed
                : throw new BundleRefusedException(RefusalReason.MetadataMismatch, $"{release.Archive} holds {installed.Id} {installed.Version}, the index says {release.Id} {release.Version}");
        }
        finally
        {
            File.Delete(download);
        }
    }

    private async Task<FollowOutcome> WarmUpOrRollBackAsync(InstalledBundle installed, CancellationToken cancellationToken)
    {
        // The catalog loads and warms the new version beside the serving one and switches only when it warmed up.
        await _catalog.ScanAsync(cancellationToken).ConfigureAwait(false);
        var folder = Path.GetFullPath(installed.Directory);
        if (_catalog.Serving(installed.Id) is { } serving && serving.Folder == folder)
        {
            return new FollowOutcome(installed.Id, installed.Version, FollowResult.Serving);
        }

        var version = _catalog.Versions.FirstOrDefault(v => v.Folder == folder);
        if (version is null || version.State != BundleState.Failed)
        {
            return new FollowOutcome(installed.Id, installed.Version, FollowResult.HeldBack, version?.FailureReason);
        }

        var reason = version.FailureReason ?? "it failed to load";
        _catalog.ControlFile.Update(control => control.IsRefused(installed.Id, installed.Version) ? control : control with
        {
            Refused = [.. control.Refused, new RefusedVersion(installed.Id, installed.Version, $"installed from {Repository}; {reason}", _clock.GetUtcNow())],
        });
        var kept = _catalog.Serving(installed.Id)?.Version?.ToString() ?? "nothing";
        Record("bundle-rollback", installed.Id, installed.Version, $"automatic: {installed.Version} failed to load or warm up ({reason}); {kept} keeps serving; {installed.Version} is refused until a newer release appears");
        LogRolledBack(_logger, installed.Id, installed.Version, kept, reason);
        return new FollowOutcome(installed.Id, installed.Version, FollowResult.RolledBack, reason);
    }

    /// <summary>Audits a refusal once per process: a refused index or archive is seen again at every poll.</summary>
    private void ReportOnce(string action, string? id, string? version, string detail)
    {
        LogRefused(_logger, Repository, detail);
        if (_reported.Add($"{id}|{version}|{detail}"))
        {
            Record(action, id, version, detail);
        }
    }

    private void Record(string action, string? id, string? version, string detail) =>
        _audit.Append(new AuditEvent(_clock.GetUtcNow(), action, BundleId: id, BundleVersion: version, Destination: Repository.AbsoluteUri, Detail: detail));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Repository {Repository} unavailable: {Message}")]
    private static partial void LogUnavailable(ILogger logger, Uri repository, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Repository {Repository}: {Detail}")]
    private static partial void LogRefused(ILogger logger, Uri repository, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Installed {Id} {Version} from {Repository}")]
    private static partial void LogInstalled(ILogger logger, string id, string version, Uri repository);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rolled back {Id} {Version}: {Kept} keeps serving ({Reason})")]
    private static partial void LogRolledBack(ILogger logger, string id, string version, string kept, string reason);
}
