using MiM.Bundles.Model.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Losses;

/// <summary>The two terms of a <see cref="DiceCeLoss"/> and their weighted sum, as tensors (scalar).</summary>
/// <param name="Total">λ_dice·Dice + λ_ce·CE, for backward.</param>
/// <param name="Dice">The soft Dice loss term.</param>
/// <param name="CrossEntropy">The cross-entropy term.</param>
public sealed record DiceCeTerms(Tensor Total, Tensor Dice, Tensor CrossEntropy);

/// <summary>
/// MONAI's <c>DiceCELoss(to_onehot_y=True, softmax=True)</c> with its other defaults: softmax over the class axis,
/// one-hot target, background included, smooth_nr = smooth_dr = 1e-5, not squared, Dice per (item, class) averaged
/// over both (batch=False); cross-entropy on the raw logits averaged over voxels; both terms weighted 1.
/// </summary>
public sealed class DiceCeLoss
{
    /// <summary>MONAI's smoothing constant, added to numerator and denominator.</summary>
    public const double Smooth = 1e-5;

    /// <summary>Weight of the Dice term (MONAI lambda_dice).</summary>
    public double DiceWeight { get; init; } = 1;

    /// <summary>Weight of the cross-entropy term (MONAI lambda_ce).</summary>
    public double CrossEntropyWeight { get; init; } = 1;

    /// <summary>The loss of <paramref name="logits"/> against a label map.</summary>
    /// <param name="logits">[B, C, D, H, W] raw network output.</param>
    /// <param name="labels">[B, 1, D, H, W] or [B, D, H, W] class indices in 0..C−1 (any integer or float type).</param>
    /// <exception cref="ArgumentException">The shapes do not agree.</exception>
    public DiceCeTerms Compute(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.dim() < 3)
        {
            throw new ArgumentException($"Logits must be [B, C, spatial…], got [{string.Join(",", logits.shape)}].", nameof(logits));
        }

        using var scope = NewDisposeScope();
        var target = labels.dim() == logits.dim() ? labels.squeeze(1) : labels;
        if (!target.shape.SequenceEqual(logits.shape.Where((_, i) => i != 1)))
        {
            throw new ArgumentException(
                $"Labels [{string.Join(",", labels.shape)}] do not match logits [{string.Join(",", logits.shape)}] (expected [B, 1, spatial…] or [B, spatial…]).",
                nameof(labels));
        }

        var classes = logits.shape[1];
        var indices = target.to(ScalarType.Int64);
        // Losses are computed in fp32 whatever the network's precision.
        var scores = logits.to(ScalarType.Float32);
        var crossEntropy = nn.functional.cross_entropy(scores, indices);

        var probabilities = scores.softmax(1);
        var oneHot = nn.functional.one_hot(indices, classes).movedim([-1], [1]).to(ScalarType.Float32);
        var spatial = Enumerable.Range(2, (int)logits.dim() - 2).Select(i => (long)i).ToArray();
        var intersection = (probabilities * oneHot).sum(spatial);
        // Scalars held for the whole call: a temporary one can be finalized while libtorch reads it (docs/numerics.md).
        using var two = 2.0.ToScalar();
        using var smooth = Smooth.ToScalar();
        using var diceWeight = DiceWeight.ToScalar();
        using var crossEntropyWeight = CrossEntropyWeight.ToScalar();
        var denominator = probabilities.sum(spatial).add(oneHot.sum(spatial), CachedScalars.One);
        var ratio = intersection.mul(two).add(smooth, CachedScalars.One).div(denominator.add(smooth, CachedScalars.One));
        var dice = ratio.neg().add(CachedScalars.One, CachedScalars.One).mean();

        var total = dice.mul(diceWeight).add(crossEntropy.mul(crossEntropyWeight), CachedScalars.One);
        return new DiceCeTerms(total.MoveToOuterDisposeScope(), dice.MoveToOuterDisposeScope(), crossEntropy.MoveToOuterDisposeScope());
    }
}
