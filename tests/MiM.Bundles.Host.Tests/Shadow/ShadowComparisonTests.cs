using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Host.Running;
using MiM.Bundles.Host.Shadow;

namespace MiM.Bundles.Host.Tests.Shadow;

public sealed class ShadowComparisonTests
{
    private static readonly VolumeGeometry Grid = new(new GridSize(4, 1, 1), default, new Vector3D(1, 1, 1), Direction3D.Identity);

    [Fact]
    public void Segmentations_are_compared_by_mean_Dice_per_label()
    {
        var serving = new JobResult("seg", "1.0.0", JobStatus.Succeeded, Labels: new LabelMap(Grid, [1, 1, 0, 0]));
        var shadow = new JobResult("seg", "1.1.0", JobStatus.Succeeded, Labels: new LabelMap(Grid, [1, 0, 0, 0]));

        var agreement = ShadowComparison.Compare("serving-job", serving, shadow, [1, 2]);

        Assert.Equal("serving-job", agreement.ServingJobId);
        Assert.Equal("1.0.0", agreement.ServingVersion);
        Assert.Equal(2.0 / 3.0, agreement.DicePerLabel![1], 12);
        Assert.Equal(1.0, agreement.DicePerLabel[2]);
        Assert.Equal((2.0 / 3.0 + 1.0) / 2, agreement.Agreement!.Value, 12);
    }

    [Fact]
    public void Classifications_agree_1_on_the_same_top_class_and_0_otherwise()
    {
        static JobResult Classes(string version, double abnormal) => new("cls", version, JobStatus.Succeeded, Classification: new ClassificationResult("cls", version,
            [new ClassProbability(CodedConcept.Snomed("263654008", "Abnormal"), abnormal), new ClassProbability(CodedConcept.Snomed("17621005", "Normal"), 1 - abnormal)]));

        var same = ShadowComparison.Compare("j", Classes("1.0.0", 0.7), Classes("1.1.0", 0.9), []);
        var different = ShadowComparison.Compare("j", Classes("1.0.0", 0.7), Classes("1.1.0", 0.2), []);

        Assert.Equal(1.0, same.Agreement);
        Assert.True(same.TopClassAgrees);
        Assert.Equal(0.2, same.MaxProbabilityDifference!.Value, 12);
        Assert.Equal(0.0, different.Agreement);
        Assert.False(different.TopClassAgrees);
    }

    [Fact]
    public void A_failed_or_missing_serving_result_compares_nothing_and_says_why()
    {
        var shadow = new JobResult("seg", "1.1.0", JobStatus.Succeeded, Labels: new LabelMap(Grid, [1, 0, 0, 0]));

        var failed = ShadowComparison.Compare("j", new JobResult("seg", "1.0.0", JobStatus.Failed, Error: "boom"), shadow, []);
        var missing = ShadowComparison.Compare("j", null, shadow, []);

        Assert.Null(failed.Agreement);
        Assert.Contains("did not succeed", failed.Note, StringComparison.Ordinal);
        Assert.Null(missing.Agreement);
        Assert.Contains("restart", missing.Note, StringComparison.Ordinal);
    }
}
