using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Finetuning;

/// <summary>Per-class Dice of a hard label map against a reference: 2|P∩G| / (|P| + |G|).</summary>
public static class ClassDice
{
    /// <summary>Dice of classes 0..<paramref name="classes"/>−1; NaN for a class absent from both maps (MONAI's ignore_empty).</summary>
    /// <param name="predicted">Class indices, any shape.</param>
    /// <param name="reference">Class indices, the same shape.</param>
    /// <param name="classes">Number of classes, background included.</param>
    public static double[] Compute(Tensor predicted, Tensor reference, int classes)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(reference);
        if (!predicted.shape.SequenceEqual(reference.shape))
        {
            throw new ArgumentException($"Prediction [{string.Join(",", predicted.shape)}] and reference [{string.Join(",", reference.shape)}] differ in shape.", nameof(reference));
        }

        using var scope = NewDisposeScope();
        var dice = new double[classes];
        for (var c = 0; c < classes; c++)
        {
            var p = predicted.eq(c);
            var g = reference.eq(c);
            var both = p.logical_and(g).sum().item<long>();
            var total = p.sum().item<long>() + g.sum().item<long>();
            dice[c] = total == 0 ? double.NaN : 2.0 * both / total;
        }

        return dice;
    }

    /// <summary>Mean over the foreground classes (1..), ignoring NaN; NaN when there is none.</summary>
    public static double MeanForeground(IReadOnlyList<double> dice)
    {
        ArgumentNullException.ThrowIfNull(dice);
        var present = dice.Skip(1).Where(d => !double.IsNaN(d)).ToList();
        return present.Count == 0 ? double.NaN : present.Average();
    }
}
