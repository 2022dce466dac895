using MiM.Bundles.Host.Shadow;

namespace MiM.Bundles.Host.Tests.Shadow;

public sealed class ShadowPolicyTests
{
    private static ShadowAgreement[] Jobs(params double?[] agreements) => [.. agreements.Select(a => new ShadowAgreement("j", "1.0.0", a))];

    [Fact]
    public void Promotes_after_N_consecutive_jobs_at_or_above_the_threshold_counted_from_the_newest()
    {
        var policy = new ShadowPolicy { PromoteAfterJobs = 3, MinAgreement = 0.95 };

        Assert.False(policy.ShouldPromote(Jobs(0.99, 0.95)));
        Assert.True(policy.ShouldPromote(Jobs(0.99, 0.95, 1.0)));
        Assert.True(policy.ShouldPromote(Jobs(0.5, 0.99, 0.95, 1.0)));
    }

    [Fact]
    public void A_job_below_the_threshold_breaks_the_run_and_an_uncompared_one_does_not()
    {
        var policy = new ShadowPolicy { PromoteAfterJobs = 3, MinAgreement = 0.95 };

        Assert.False(policy.ShouldPromote(Jobs(0.99, 0.99, 0.94, 0.99, 0.99)));
        Assert.True(policy.ShouldPromote(Jobs(0.99, null, 0.99, null, 0.99)));
    }

    [Fact]
    public void Zero_jobs_never_promotes_and_a_bundle_id_can_have_its_own_rule()
    {
        var policy = new ShadowPolicy
        {
            PromoteAfterJobs = 0,
            Bundles = new(StringComparer.Ordinal) { ["liver"] = new ShadowPolicy { PromoteAfterJobs = 1, MinAgreement = 0.9 } },
        };

        Assert.False(policy.ShouldPromote(Jobs(1, 1, 1, 1)));
        Assert.True(policy.For("liver").ShouldPromote(Jobs(0.91)));
        Assert.Same(policy, policy.For("spleen"));
    }
}
