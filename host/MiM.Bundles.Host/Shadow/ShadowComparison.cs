using MiM.Bundles.Host.Running;

namespace MiM.Bundles.Host.Shadow;

/// <summary>Turns the serving and the shadow result of one series into the <see cref="ShadowAgreement"/> stored on the shadow job.</summary>
public static class ShadowComparison
{
    /// <summary>Compares <paramref name="shadow"/> with <paramref name="serving"/> (job <paramref name="servingJobId"/>).</summary>
    /// <param name="servingJobId">The serving job's id.</param>
    /// <param name="serving">The serving job's result, or null when it is not available (it ran before a restart and no reference of it was kept).</param>
    /// <param name="shadow">The shadow job's result.</param>
    /// <param name="declaredLabels">The label values either version can produce (empty ones count as agreement).</param>
    /// <param name="missing">Why <paramref name="serving"/> is null, when that is known.</param>
    public static ShadowAgreement Compare(string servingJobId, JobResult? serving, JobResult shadow, IEnumerable<int> declaredLabels, string? missing = null)
    {
        ArgumentNullException.ThrowIfNull(shadow);
        if (serving is null)
        {
            return new ShadowAgreement(servingJobId, "", null, Note: $"the serving result is not available: {missing ?? "it ran before a restart and no reference of it was kept"}");
        }

        if (serving.Status != JobStatus.Succeeded)
        {
            return new ShadowAgreement(servingJobId, serving.BundleVersion, null, Note: $"the serving job did not succeed ({serving.Status})");
        }

        if (serving.Labels is { } servingLabels && shadow.Labels is { } shadowLabels)
        {
            try
            {
                var dice = LabelAgreement.DicePerLabel(servingLabels, shadowLabels, declaredLabels);
                return new ShadowAgreement(servingJobId, serving.BundleVersion, LabelAgreement.Mean(dice), DicePerLabel: dice);
            }
            catch (ArgumentException e)
            {
                return new ShadowAgreement(servingJobId, serving.BundleVersion, 0, Note: e.Message);
            }
        }

        if (serving.Classification is { } servingClasses && shadow.Classification is { } shadowClasses)
        {
            var (agrees, difference) = ClassificationAgreement.Compare(servingClasses, shadowClasses);
            return new ShadowAgreement(servingJobId, serving.BundleVersion, agrees ? 1 : 0, TopClassAgrees: agrees, MaxProbabilityDifference: difference);
        }

        // A candidate that changed task (labels vs classes) agrees on nothing.
        return new ShadowAgreement(servingJobId, serving.BundleVersion, 0, Note: "the two versions produced different kinds of result");
    }
}
