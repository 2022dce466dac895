using MiM.Bundles.Model.Evaluation;

namespace MiM.Bundles.Model.Tests.Evaluation;

public class BinaryClassificationMetricsTests
{
    [Fact]
    public void A_perfect_ranking_has_auc_one_and_a_reversed_one_auc_zero()
    {
        Assert.Equal(1.0, BinaryClassificationMetrics.Auc([0.1, 0.2, 0.8, 0.9], [false, false, true, true]));
        Assert.Equal(0.0, BinaryClassificationMetrics.Auc([0.9, 0.8, 0.2, 0.1], [false, false, true, true]));
    }

    [Fact]
    public void Auc_counts_the_pairs_a_positive_wins_by_hand()
    {
        // Positives 0.35 and 0.8; negatives 0.1, 0.4, 0.9. Pairs won: 0.35 beats 0.1 (1); 0.8 beats 0.1 and 0.4 (2): 3 of 6.
        Assert.Equal(3.0 / 6, BinaryClassificationMetrics.Auc([0.1, 0.35, 0.4, 0.8, 0.9], [false, true, false, true, false]), 12);

        // Positives 0.3, 0.6, 0.7 against negatives 0.2, 0.5: 0.3 beats 0.2 (1), 0.6 beats both (2), 0.7 both (2): 5 of 6.
        Assert.Equal(5.0 / 6, BinaryClassificationMetrics.Auc([0.3, 0.2, 0.6, 0.5, 0.7], [true, false, true, false, true]), 12);
    }

    [Fact]
    public void A_tie_between_a_positive_and_a_negative_counts_one_half()
    {
        // Positives 0.5, 0.9; negatives 0.5, 0.1. Pairs: (0.5 vs 0.5) ½, (0.5 vs 0.1) 1, (0.9 vs 0.5) 1, (0.9 vs 0.1) 1 → 3.5 of 4.
        Assert.Equal(3.5 / 4, BinaryClassificationMetrics.Auc([0.5, 0.5, 0.9, 0.1], [true, false, true, false]), 12);

        // All scores equal: every pair is a tie, AUC ½ — a constant classifier is chance, never "perfect".
        Assert.Equal(0.5, BinaryClassificationMetrics.Auc([0.7, 0.7, 0.7, 0.7, 0.7], [true, false, true, false, false]), 12);

        // Ties within one class change nothing: positives 0.6, 0.6 above negatives 0.2, 0.2.
        Assert.Equal(1.0, BinaryClassificationMetrics.Auc([0.6, 0.2, 0.6, 0.2], [true, false, true, false]), 12);
    }

    [Fact]
    public void Auc_is_undefined_with_a_single_class_and_refuses_mismatched_or_nan_input()
    {
        Assert.True(double.IsNaN(BinaryClassificationMetrics.Auc([0.1, 0.9], [true, true])));
        Assert.True(double.IsNaN(BinaryClassificationMetrics.Auc([0.1, 0.9], [false, false])));
        Assert.Throws<ArgumentException>(() => BinaryClassificationMetrics.Auc([0.1], [true, false]));
        Assert.Throws<ArgumentException>(() => BinaryClassificationMetrics.Auc([double.NaN, 0.2], [true, false]));
    }

    [Fact]
    public void Accuracy_is_the_fraction_of_matching_classes()
    {
        Assert.Equal(0.75, BinaryClassificationMetrics.Accuracy([1, 0, 1, 1], [1, 0, 0, 1]));
        Assert.Equal(0.0, BinaryClassificationMetrics.Accuracy([1, 1], [0, 0]));
        Assert.True(double.IsNaN(BinaryClassificationMetrics.Accuracy([], [])));
        Assert.Throws<ArgumentException>(() => BinaryClassificationMetrics.Accuracy([1], [1, 0]));
    }
}
