using MiM.Bundles.Model.Losses;
using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training;

/// <summary>
/// One MiM step's loss: reconstruct the three levels of a mask-in-mask sample and align them
/// (L = w1·L₁ + w2·L₂ + w3·L₃ + a12·A₁₂ + a23·A₂₃, MIM_SPEC.md section 3).
/// </summary>
public sealed class MimPretrainObjective(MimPretrainNetwork network, LossWeights weights, bool legacyAlignment)
{
    /// <summary>The weighted total (for backward) and its unweighted terms.</summary>
    /// <param name="sample">The three levels of masked volumes, on the network's device.</param>
    /// <param name="progress">Fraction of the run done, for the level schedule.</param>
    public (Tensor Total, LossBreakdown Parts) Compute(MaskInMaskSample sample, double progress)
    {
        ArgumentNullException.ThrowIfNull(sample);
        using var scope = NewDisposeScope();
        var (l1, f1) = Reconstruct(network, sample.Level1Input, sample.Level1Mask);
        // A level no term uses is not run at all: with level2/level3/align weights 0 this is a plain single-level MAE
        // whose step costs one encoder pass instead of 1 + N2 + N2·N3 (the "does MiM help?" baseline).
        (Tensor Loss, Tensor? Features) unused = (zeros(1).squeeze(), null);
        var (l2, f2) = weights.UsesLevel2 ? Reconstruct(network, sample.Level2Input, sample.Level2Mask) : unused;
        var (l3, f3) = weights.UsesLevel3 ? Reconstruct(network, sample.Level3Input, sample.Level3Mask) : unused;
        // Alignment runs in the network's precision; its scalar result joins the fp32 total.
        var a12 = weights.Align12 == 0 ? zeros(1).squeeze() : CrossLevelAlignment.Level1To2(network, f1, f2!, sample, legacyAlignment).to(ScalarType.Float32);
        var a23 = weights.Align23 == 0 ? zeros(1).squeeze() : CrossLevelAlignment.Level2To3(network, f2!, f3!, sample, legacyAlignment).to(ScalarType.Float32);
        var (w1, w2, w3) = weights.LevelWeightsAt(progress);
        // Scalars held through the calls: a temporary one freed mid-call would crash or silently change the loss.
        using var weight1 = w1.ToScalar();
        using var weight2 = w2.ToScalar();
        using var weight3 = w3.ToScalar();
        using var align12 = weights.Align12.ToScalar();
        using var align23 = weights.Align23.ToScalar();
        var total = l1.mul(weight1).add(l2, weight2).add(l3, weight3).add(a12, align12).add(a23, align23);
        var parts = new LossBreakdown(
            total.item<float>(), l1.item<float>(), l2.item<float>(), l3.item<float>(), a12.item<float>(), a23.item<float>());
        return (total.MoveToOuterDisposeScope(), parts);
    }

    /// <summary>Plain single-level MAE on one masked volume: the baseline MiM is compared against.</summary>
    public Tensor ReconstructOnly(Tensor volumes, Tensor mask)
    {
        using var scope = NewDisposeScope();
        return Reconstruct(network, volumes, mask).Loss.MoveToOuterDisposeScope();
    }

    /// <summary>One level's norm-pix loss (in fp32) and decoder features; shared with the data-parallel objective.</summary>
    internal static (Tensor Loss, Tensor Features) Reconstruct(MimPretrainNetwork network, Tensor volumes, Tensor mask)
    {
        var encoded = network.Encode(volumes, mask);
        var decoded = network.Decode(encoded);
        // The reconstruction loss is computed in fp32 whatever the network's precision (a no-op for fp32 networks).
        var loss = NormPixReconstructionLoss.Compute(decoded.Prediction.to(ScalarType.Float32), volumes.to(ScalarType.Float32), mask.to(ScalarType.Float32));
        return (loss, decoded.Features);
    }
}
