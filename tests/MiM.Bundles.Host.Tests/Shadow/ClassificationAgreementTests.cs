using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Host.Shadow;

namespace MiM.Bundles.Host.Tests.Shadow;

public sealed class ClassificationAgreementTests
{
    private static readonly CodedConcept Abnormal = CodedConcept.Snomed("263654008", "Abnormal");
    private static readonly CodedConcept Normal = CodedConcept.Snomed("17621005", "Normal");

    private static ClassificationResult Result(double abnormal) =>
        new("head", "1.0.0", [new ClassProbability(Abnormal, abnormal), new ClassProbability(Normal, 1 - abnormal)]);

    [Fact]
    public void The_same_top_class_agrees_and_reports_the_largest_probability_difference()
    {
        var (agrees, difference) = ClassificationAgreement.Compare(Result(0.8), Result(0.7));

        Assert.True(agrees);
        Assert.Equal(0.1, difference, 12);
    }

    [Fact]
    public void A_different_top_class_disagrees()
    {
        var (agrees, difference) = ClassificationAgreement.Compare(Result(0.6), Result(0.3));

        Assert.False(agrees);
        Assert.Equal(0.3, difference, 12);
    }

    [Fact]
    public void Classes_match_by_code_not_by_meaning_text_and_a_missing_class_counts_as_probability_0()
    {
        var serving = Result(0.9);
        var shadow = new ClassificationResult("head", "1.1.0", [new ClassProbability(new CodedConcept("263654008", "SCT", "abnormal (renamed)"), 0.9)]);

        var (agrees, difference) = ClassificationAgreement.Compare(serving, shadow);

        Assert.True(agrees);
        Assert.Equal(0.1, difference, 12); // "Normal" 0.1 against nothing
    }
}
