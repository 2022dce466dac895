using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Losses;

/// <summary>
/// The MAE norm-pix reconstruction loss (MIM_SPEC.md section 3): each token's target is standardised with its own
/// mean and UNBIASED variance, t̂ = (t − mean) / sqrt(var + 1e-6); the loss is the per-token mean squared error over
/// its voxels, averaged over the masked tokens of the whole batch (Σ mask·mse / Σ mask).
/// </summary>
public static class NormPixReconstructionLoss
{
    /// <summary>The scalar loss.</summary>
    /// <param name="prediction">[N, T, 16³·C] decoder prediction in <see cref="Patchify"/> order.</param>
    /// <param name="volumes">[N, C, S, S, S] the network input (the target).</param>
    /// <param name="mask">[N, T], 1 = masked (scored), 0 = visible (ignored).</param>
    public static Tensor Compute(Tensor prediction, Tensor volumes, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(mask);
        using var scope = NewDisposeScope();
        var target = Patchify.ToTokens(volumes, MimNetworkConfig.TokenSize);
        if (!prediction.shape.SequenceEqual(target.shape))
        {
            throw new ArgumentException(
                $"Prediction [{string.Join(",", prediction.shape)}] does not match the target [{string.Join(",", target.shape)}].", nameof(prediction));
        }

        if (mask.dim() != 2 || mask.shape[0] != target.shape[0] || mask.shape[1] != target.shape[1])
        {
            throw new ArgumentException($"Expected a token mask [{target.shape[0]},{target.shape[1]}], got [{string.Join(",", mask.shape)}].", nameof(mask));
        }

        var mean = target.mean([-1], keepdim: true);
        var variance = target.var(-1, unbiased: true, keepdim: true);
        // No temporary Scalars (they can be finalized while libtorch reads them; docs/numerics.md).
        using var epsilon = 1e-6.ToScalar();
        var normalised = target.sub(mean).div(variance.add(epsilon, CachedScalars.One).sqrt());
        var perToken = prediction.sub(normalised).pow(CachedScalars.Two).mean([-1]);
        var weights = mask.to(perToken.dtype);
        var loss = (perToken * weights).sum() / weights.sum();
        return loss.MoveToOuterDisposeScope();
    }
}
