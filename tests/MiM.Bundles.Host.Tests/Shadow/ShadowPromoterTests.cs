using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Jobs;
using MiM.Bundles.Host.Shadow;
using MiM.Bundles.Host.Tests.Catalog;
using MiM.Bundles.Host.Tests.Subscriptions;
using Moq;

namespace MiM.Bundles.Host.Tests.Shadow;

/// <summary>The automatic promotion policy over real job records; the catalog control is the mocked seam.</summary>
public sealed class ShadowPromoterTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly RecordingAuditLog _audit = new();
    private readonly Mock<IBundleControl> _control = new(MockBehavior.Strict);
    private int _series;

    public void Dispose() => _temp.Dispose();

    private (ShadowPromoter Promoter, JobStore Jobs) Create(int afterJobs, double minAgreement)
    {
        var jobs = new JobStore(_temp.Sub("jobs"));
        var policy = new ShadowPolicy { PromoteAfterJobs = afterJobs, MinAgreement = minAgreement };
        return (new ShadowPromoter(policy, jobs, _control.Object, _audit, TimeProvider.System, NullLogger<ShadowPromoter>.Instance), jobs);
    }

    private JobRecord Kept(JobStore jobs, double agreement)
    {
        var at = DateTimeOffset.UnixEpoch.AddMinutes(++_series);
        var job = new JobRecord
        {
            Id = $"shadow-{_series}", SeriesInstanceUid = $"1.2.3.{_series}", BundleId = "bright-seg", BundleVersion = "1.1.0", RanVersion = "1.1.0",
            Shadow = true, ShadowOf = $"serving-{_series}", State = JobState.Kept, Created = at, Finished = at,
            Agreement = new ShadowAgreement($"serving-{_series}", "1.0.0", agreement),
        };
        Assert.True(jobs.TryCreate(job));
        return job;
    }

    [Fact]
    public async Task After_N_agreeing_shadow_jobs_the_candidate_is_promoted_once_and_audited()
    {
        var (promoter, jobs) = Create(afterJobs: 2, minAgreement: 0.95);
        _control.Setup(c => c.PromoteAsync("bright-seg", "1.1.0", "policy:shadow", It.IsAny<CancellationToken>())).ReturnsAsync("1.1.0");

        await promoter.ConsiderAsync(Kept(jobs, 0.97));
        _control.Verify(c => c.PromoteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        await promoter.ConsiderAsync(Kept(jobs, 1.0));
        await promoter.ConsiderAsync(Kept(jobs, 1.0));

        _control.Verify(c => c.PromoteAsync("bright-seg", "1.1.0", "policy:shadow", It.IsAny<CancellationToken>()), Times.Once);
        var audited = Assert.Single(_audit.Of("bundle-auto-promote"));
        Assert.Equal("1.1.0", audited.BundleVersion);
        Assert.Contains("2 consecutive shadow jobs with agreement >= 0.95", audited.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_below_the_threshold_restarts_the_count()
    {
        var (promoter, jobs) = Create(afterJobs: 2, minAgreement: 0.95);

        await promoter.ConsiderAsync(Kept(jobs, 1.0));
        await promoter.ConsiderAsync(Kept(jobs, 0.5));
        await promoter.ConsiderAsync(Kept(jobs, 1.0));

        _control.VerifyNoOtherCalls();
        Assert.Empty(_audit.Of("bundle-auto-promote"));
    }

    [Fact]
    public async Task A_failed_automatic_promotion_is_audited_and_does_not_throw()
    {
        var (promoter, jobs) = Create(afterJobs: 1, minAgreement: 0.9);
        _control.Setup(c => c.PromoteAsync("bright-seg", "1.1.0", "policy:shadow", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("promotion of bright-seg to 1.1.0 failed: it did not load"));

        await promoter.ConsiderAsync(Kept(jobs, 1.0));

        Assert.Contains("it did not load", Assert.Single(_audit.Of("bundle-auto-promote-failed")).Detail, StringComparison.Ordinal);
    }
}
