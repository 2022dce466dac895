using TorchSharp;
using MiM.Bundles.Model.Numerics;
using MiM.Bundles.Model.Losses;
using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Networks;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Parallel;

/// <summary>
/// The MiM loss of <see cref="MimPretrainObjective"/> computed data-parallel: level 1 on the master; the level-2
/// children split into contiguous shards (<see cref="ShardPlan"/>), each level-3 child with its parent's shard; each
/// device computes its shard's L₂, L₃, A₁₂ (against the master's detached level-1 features, copied over) and A₂₃, and runs
/// backward on its part. Each reconstruction term is weighted by the shard's share of masked tokens and each alignment
/// term by its share of children, so the parts add up to the single-device loss and their gradients, once reduced by
/// <see cref="ReplicaSet.ReduceGradients"/>, to the single-device gradients.
/// </summary>
public sealed class DataParallelObjective
{
    private readonly ReplicaSet _replicas;
    private readonly LossWeights _weights;

    /// <summary>Creates the objective over <paramref name="replicas"/>.</summary>
    /// <exception cref="NotSupportedException"><paramref name="legacyAlignment"/> is set: the released code's A₁₂ ties every level-2 child to the first one, which does not split across devices.</exception>
    public DataParallelObjective(ReplicaSet replicas, LossWeights weights, bool legacyAlignment)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(weights);
        if (legacyAlignment)
        {
            throw new NotSupportedException(
                "Data-parallel training does not support masking.legacyAlignment (its A12 compares every level-2 child with the first); train on one device.");
        }

        _replicas = replicas;
        _weights = weights;
    }

    /// <summary>
    /// Computes the step's loss and runs backward on every device, leaving each network's gradients of
    /// <paramref name="scale"/>·(its part); call <see cref="ReplicaSet.ReduceGradients"/> before the optimizer step.
    /// </summary>
    /// <param name="sample">The step's sample, on any device (the sampler's is on the CPU).</param>
    /// <param name="progress">Fraction of the run done, for the level schedule.</param>
    /// <param name="scale">Factor on the backward pass (1 / accumulation steps); the returned breakdown is unscaled.</param>
    /// <returns>The combined loss and its unweighted terms, equal to the single-device values up to rounding.</returns>
    public LossBreakdown ComputeAndBackward(MaskInMaskSample sample, double progress, double scale = 1.0)
    {
        ArgumentNullException.ThrowIfNull(sample);
        using var scope = NewDisposeScope();
        var (w1, w2, w3) = _weights.LevelWeightsAt(progress);
        var masterDevice = _replicas.Devices[0];
        var level2Total = (int)sample.Level2Input.shape[0];
        var level3Total = (int)sample.Level3Input.shape[0];
        var shards = ShardPlan.Create(level2Total, sample.Level3ParentVolume, _replicas.Count);
        double mask2Total = sample.Level2Mask.sum().item<float>();
        double mask3Total = sample.Level3Mask.sum().item<float>();

        var (l1, f1) = MimPretrainObjective.Reconstruct(_replicas.Master, sample.Level1Input.to(masterDevice), sample.Level1Mask.to(masterDevice));
        var level1Target = f1.detach();
        var l1Value = (double)l1.item<float>();
        double l2 = 0, l3 = 0, a12 = 0, a23 = 0;
        // Every Scalar held through its call (docs/numerics.md, "Lifetimes of native objects").
        using var weight1 = w1.ToScalar();
        using var backwardScale = scale.ToScalar();
        var masterPart = l1.mul(weight1);
        for (var d = 0; d < shards.Count; d++)
        {
            var shard = shards[d];
            if (shard.IsEmpty)
            {
                continue;
            }

            var network = _replicas[d];
            var device = _replicas.Devices[d];
            var part = ShardPart(network, ShardSample.Slice(sample, shard, device), level1Target.to(device), (w2, w3), (mask2Total, mask3Total), (level2Total, level3Total), out var terms);
            l2 += terms.L2;
            l3 += terms.L3;
            a12 += terms.A12;
            a23 += terms.A23;
            if (d == 0)
            {
                masterPart = masterPart.add(part, CachedScalars.One);
            }
            else
            {
                part.mul(backwardScale).backward();
            }
        }

        masterPart.mul(backwardScale).backward();
        var total = (w1 * l1Value) + (w2 * l2) + (w3 * l3) + (_weights.Align12 * a12) + (_weights.Align23 * a23);
        return new LossBreakdown(total, l1Value, l2, l3, a12, a23);
    }

    private Tensor ShardPart(
        MimPretrainNetwork network,
        MaskInMaskSample shard,
        Tensor level1Target,
        (double W2, double W3) levelWeights,
        (double Level2, double Level3) maskTotals,
        (int Level2, int Level3) childTotals,
        out (double L2, double L3, double A12, double A23) terms)
    {
        terms = default;
        var (l2, f2) = MimPretrainObjective.Reconstruct(network, shard.Level2Input, shard.Level2Mask);
        var part = zeros(1, device: l2.device).squeeze();
        double mask2 = shard.Level2Mask.sum().item<float>();
        if (mask2 > 0)
        {
            var share = mask2 / maskTotals.Level2;
            using var alpha = (levelWeights.W2 * share).ToScalar();
            part = part.add(l2, alpha);
            terms.L2 = share * l2.item<float>();
        }

        if (_weights.Align12 != 0)
        {
            var share = (double)shard.Level2Input.shape[0] / childTotals.Level2;
            var a12 = CrossLevelAlignment.Level1To2(network, level1Target, f2, shard, legacy: false);
            using var alpha = (_weights.Align12 * share).ToScalar();
            part = part.add(a12, alpha);
            terms.A12 = share * a12.item<float>();
        }

        var level3Count = shard.Level3Input.shape[0];
        if (level3Count == 0)
        {
            return part;
        }

        var (l3, f3) = MimPretrainObjective.Reconstruct(network, shard.Level3Input, shard.Level3Mask);
        double mask3 = shard.Level3Mask.sum().item<float>();
        if (mask3 > 0)
        {
            var share = mask3 / maskTotals.Level3;
            using var alpha = (levelWeights.W3 * share).ToScalar();
            part = part.add(l3, alpha);
            terms.L3 = share * l3.item<float>();
        }

        if (_weights.Align23 != 0)
        {
            var share = (double)level3Count / childTotals.Level3;
            var a23 = CrossLevelAlignment.Level2To3(network, f2, f3, shard, legacy: false);
            using var alpha = (_weights.Align23 * share).ToScalar();
            part = part.add(a23, alpha);
            terms.A23 = share * a23.item<float>();
        }

        return part;
    }
}
