using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Host.Shadow;

/// <summary>Dice per label between two label maps on the same grid (the serving and the shadow segmentation of one series).</summary>
public static class LabelAgreement
{
    /// <summary>
    /// Dice 2|A∩B| / (|A| + |B|) for every label present in either map and every label in <paramref name="declared"/>
    /// (the labels the two versions can produce). A label both maps leave empty agrees fully (1): both versions said
    /// "absent". Background (0) is not a label.
    /// </summary>
    /// <exception cref="ArgumentException">The two maps are not on the same grid.</exception>
    public static SortedDictionary<int, double> DicePerLabel(LabelMap serving, LabelMap shadow, IEnumerable<int> declared)
    {
        ArgumentNullException.ThrowIfNull(serving);
        ArgumentNullException.ThrowIfNull(shadow);
        ArgumentNullException.ThrowIfNull(declared);
        if (!serving.Geometry.IsSameGrid(shadow.Geometry) || serving.Voxels.Length != shadow.Voxels.Length)
        {
            throw new ArgumentException("the serving and shadow label maps are not on the same grid", nameof(shadow));
        }

        var inServing = new Dictionary<int, long>();
        var inShadow = new Dictionary<int, long>();
        var inBoth = new Dictionary<int, long>();
        var a = serving.Voxels;
        var b = shadow.Voxels;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != 0)
            {
                inServing[a[i]] = inServing.GetValueOrDefault(a[i]) + 1;
            }

            if (b[i] != 0)
            {
                inShadow[b[i]] = inShadow.GetValueOrDefault(b[i]) + 1;
                if (a[i] == b[i])
                {
                    inBoth[a[i]] = inBoth.GetValueOrDefault(a[i]) + 1;
                }
            }
        }

        var labels = inServing.Keys.Concat(inShadow.Keys).Concat(declared.Where(l => l != 0)).ToHashSet();
        var dice = new SortedDictionary<int, double>();
        foreach (var label in labels)
        {
            var sum = inServing.GetValueOrDefault(label) + inShadow.GetValueOrDefault(label);
            dice[label] = sum == 0 ? 1.0 : 2.0 * inBoth.GetValueOrDefault(label) / sum;
        }

        return dice;
    }

    /// <summary>The mean of <paramref name="dicePerLabel"/>; 1 when there is no label at all (both maps empty, nothing declared).</summary>
    public static double Mean(IReadOnlyDictionary<int, double> dicePerLabel)
    {
        ArgumentNullException.ThrowIfNull(dicePerLabel);
        return dicePerLabel.Count == 0 ? 1.0 : dicePerLabel.Values.Average();
    }
}
