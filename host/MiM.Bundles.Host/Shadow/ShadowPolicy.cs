namespace MiM.Bundles.Host.Shadow;

/// <summary>
/// When a shadow candidate is promoted without an operator ("Mim:Shadow" in the settings): after
/// <see cref="PromoteAfterJobs"/> consecutive compared shadow jobs whose agreement is at least
/// <see cref="MinAgreement"/>. <see cref="Bundles"/> overrides both per bundle id.
/// </summary>
public sealed class ShadowPolicy
{
    /// <summary>The settings section.</summary>
    public const string Section = "Mim:Shadow";

    /// <summary>Consecutive agreeing shadow jobs needed; 0 (the default) never promotes automatically.</summary>
    public int PromoteAfterJobs { get; set; }

    /// <summary>The agreement each of them must reach, in [0, 1].</summary>
    public double MinAgreement { get; set; } = 0.99;

    /// <summary>Per bundle id: its own <see cref="PromoteAfterJobs"/> and <see cref="MinAgreement"/>.</summary>
    public Dictionary<string, ShadowPolicy> Bundles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The policy that applies to <paramref name="bundleId"/>.</summary>
    public ShadowPolicy For(string bundleId) => Bundles.GetValueOrDefault(bundleId) ?? this;

    /// <summary>
    /// True when the most recent compared jobs of <paramref name="shadowJobs"/> (oldest first) include a run of at
    /// least <see cref="PromoteAfterJobs"/> with agreement ≥ <see cref="MinAgreement"/>, counted back from the newest. A
    /// job that compared nothing (the serving job failed) neither counts nor breaks the run; one below the threshold
    /// breaks it.
    /// </summary>
    public bool ShouldPromote(IEnumerable<ShadowAgreement> shadowJobs)
    {
        ArgumentNullException.ThrowIfNull(shadowJobs);
        if (PromoteAfterJobs <= 0)
        {
            return false;
        }

        var run = 0;
        foreach (var agreement in shadowJobs.Select(j => j.Agreement).Where(a => a is not null).Reverse())
        {
            if (agreement < MinAgreement)
            {
                break;
            }

            run++;
        }

        return run >= PromoteAfterJobs;
    }
}
