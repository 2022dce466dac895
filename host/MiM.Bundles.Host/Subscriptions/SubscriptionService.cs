using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Host.Audit;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Packaging.Installation;
using MiM.Bundles.Packaging.Repository;
using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Host.Subscriptions;

/// <summary>
/// Polls every subscribed repository at the configured interval (<see cref="RepositoryFollower"/> does the work), after
/// removing what a crash left in <c>&lt;bundles&gt;/.staging/</c>. A repository that is down or refused is logged and
/// polled again next time; the host keeps serving what it has.
/// </summary>
/// <param name="settings">Repositories, policies and the poll interval.</param>
/// <param name="catalog">The running catalog.</param>
/// <param name="audit">The audit log.</param>
/// <param name="loggers">Loggers for the service and its followers.</param>
/// <param name="clock">Time for signatures and audit events.</param>
public sealed partial class SubscriptionService(SubscriptionSettings settings, BundleCatalog catalog, IAuditLog audit, ILoggerFactory loggers, TimeProvider clock) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<SubscriptionService>();

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Repositories.Count == 0)
        {
            return;
        }

        using var emptyTrust = new TrustStore([], []);
        var stale = new BundleInstaller(catalog.ControlFile.Directory, emptyTrust, clock: clock).RemoveStaleStaging(TimeSpan.FromHours(1));
        if (stale > 0)
        {
            LogStaleStaging(_logger, stale);
        }

        var clients = new List<HttpClient>();
        var followers = new List<RepositoryFollower>();
        try
        {
            foreach (var subscription in settings.Repositories)
            {
                // One client per repository: each may trust its own TLS roots (a folder needs none).
                var http = subscription.IsFolder ? null : RepositoryHttpClient.Create(subscription.TlsTrust, TimeSpan.FromMinutes(30));
                if (http is not null)
                {
                    clients.Add(http);
                }

                followers.Add(new RepositoryFollower(subscription, catalog, audit, loggers.CreateLogger<RepositoryFollower>(), http, clock));
            }

            using var timer = new PeriodicTimer(settings.PollInterval, clock);
            do
            {
                foreach (var follower in followers)
                {
                    foreach (var outcome in await follower.PollOnceAsync(stoppingToken).ConfigureAwait(false))
                    {
                        LogOutcome(_logger, follower.Repository, outcome.Id, outcome.Version ?? "-", outcome.Result);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        finally
        {
            followers.ForEach(f => f.Dispose());
            clients.ForEach(c => c.Dispose());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} stale entries from the staging folder")]
    private static partial void LogStaleStaging(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Repository {Repository}: {Id} {Version}: {Result}")]
    private static partial void LogOutcome(ILogger logger, Uri repository, string id, string version, FollowResult result);
}
