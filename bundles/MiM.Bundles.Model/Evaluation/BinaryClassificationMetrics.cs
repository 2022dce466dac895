namespace MiM.Bundles.Model.Evaluation;

/// <summary>Held-out metrics of a classifier: the area under the ROC curve and accuracy.</summary>
public static class BinaryClassificationMetrics
{
    /// <summary>
    /// The area under the ROC curve of <paramref name="scores"/> for the positive cases (<paramref name="positive"/> true):
    /// the probability that a random positive scores above a random negative, ties counting one half. Computed from
    /// mid-ranks (the Mann–Whitney U statistic over n₊·n₋), which is exact with ties, as scikit-learn's roc_auc_score.
    /// </summary>
    /// <returns>The AUC in [0, 1]; NaN when the cases are all positive or all negative (the AUC is undefined).</returns>
    /// <exception cref="ArgumentException">The lists differ in length or a score is NaN.</exception>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(positive);
        if (scores.Count != positive.Count)
        {
            throw new ArgumentException($"{scores.Count} score(s) for {positive.Count} case(s).", nameof(positive));
        }

        if (scores.Any(double.IsNaN))
        {
            throw new ArgumentException("A score is NaN.", nameof(scores));
        }

        var positives = positive.Count(p => p);
        var negatives = positive.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        var order = Enumerable.Range(0, scores.Count).OrderBy(n => scores[n]).ToArray();
        double positiveRankSum = 0;
        for (var first = 0; first < order.Length;)
        {
            var last = first;
            while (last + 1 < order.Length && scores[order[last + 1]] == scores[order[first]])
            {
                last++;
            }

            // Ranks are 1-based; every member of a run of ties gets the run's mean rank.
            var midRank = ((first + 1) + (last + 1)) / 2.0;
            for (var n = first; n <= last; n++)
            {
                if (positive[order[n]])
                {
                    positiveRankSum += midRank;
                }
            }

            first = last + 1;
        }

        var u = positiveRankSum - (positives * (positives + 1) / 2.0);
        return u / ((double)positives * negatives);
    }

    /// <summary>The fraction of cases whose predicted class equals the true class.</summary>
    /// <returns>In [0, 1]; NaN for no cases.</returns>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public static double Accuracy(IReadOnlyList<int> predicted, IReadOnlyList<int> actual)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(actual);
        if (predicted.Count != actual.Count)
        {
            throw new ArgumentException($"{predicted.Count} prediction(s) for {actual.Count} case(s).", nameof(actual));
        }

        return actual.Count == 0 ? double.NaN : (double)predicted.Where((p, n) => p == actual[n]).Count() / actual.Count;
    }
}
