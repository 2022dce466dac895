using Microsoft.Extensions.Logging;
using MiM.Bundles.Host.Audit;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Jobs;

namespace MiM.Bundles.Host.Shadow;

/// <summary>
/// Applies the <see cref="ShadowPolicy"/> after each compared shadow job: when the candidate's recent jobs agree
/// enough, promotes it through <see cref="IBundleControl"/> (audited as <c>bundle-auto-promote</c>), once.
/// </summary>
/// <param name="policy">The settings.</param>
/// <param name="jobs">The job records, for the candidate's earlier agreements.</param>
/// <param name="control">Carries out the promotion.</param>
/// <param name="audit">Records the decision.</param>
/// <param name="time">The time of audit lines.</param>
/// <param name="logger">Logs promotions and their failures.</param>
public sealed partial class ShadowPromoter(ShadowPolicy policy, JobStore jobs, IBundleControl control, IAuditLog audit, TimeProvider time, ILogger<ShadowPromoter> logger)
{
    private readonly HashSet<string> _promoting = new(StringComparer.Ordinal);

    /// <summary>Considers the candidate that ran <paramref name="shadowJob"/>; returns the promotion under way, or a completed task.</summary>
    public Task ConsiderAsync(JobRecord shadowJob)
    {
        ArgumentNullException.ThrowIfNull(shadowJob);
        var id = shadowJob.BundleId;
        var version = shadowJob.RanVersion ?? shadowJob.BundleVersion;
        var rule = policy.For(id);
        var history = jobs.All
            .Where(j => j.Shadow && j.BundleId == id && (j.RanVersion ?? j.BundleVersion) == version && j.Agreement is not null)
            .OrderBy(j => j.Finished ?? j.Created)
            .Select(j => j.Agreement!);
        if (!rule.ShouldPromote(history))
        {
            return Task.CompletedTask;
        }

        lock (_promoting)
        {
            // Several series finish close together: the first that crosses the threshold promotes.
            if (!_promoting.Add($"{id} {version}"))
            {
                return Task.CompletedTask;
            }
        }

        var reason = $"{rule.PromoteAfterJobs} consecutive shadow jobs with agreement >= {rule.MinAgreement}";
        audit.Append(new AuditEvent(time.GetUtcNow(), "bundle-auto-promote", BundleId: id, BundleVersion: version, Detail: reason));
        LogAutoPromote(logger, id, version, reason);
        return PromoteAsync(id, version);
    }

    private async Task PromoteAsync(string id, string version)
    {
        try
        {
            await control.PromoteAsync(id, version, "policy:shadow", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or IOException)
        {
            LogAutoPromoteFailed(logger, id, version, e.Message);
            audit.Append(new AuditEvent(time.GetUtcNow(), "bundle-auto-promote-failed", BundleId: id, BundleVersion: version, Detail: e.Message));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shadow candidate {Id} {Version} promoted by policy: {Reason}")]
    private static partial void LogAutoPromote(ILogger logger, string id, string version, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Automatic promotion of {Id} {Version} failed: {Reason}")]
    private static partial void LogAutoPromoteFailed(ILogger logger, string id, string version, string reason);
}
