using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Networks;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Losses;

/// <summary>
/// The cross-level alignment terms A₁₂ and A₂₃ (MIM_SPEC.md section 3): BYOL distance between a projection of
/// the parent's decoder features over the child's region (stop-gradient: the parent is the target) and a
/// projection of the child's mean decoder features.
/// </summary>
public static class CrossLevelAlignment
{
    /// <summary>A(1→2): level-1 features over each level-2 child's octant cube against that child.</summary>
    /// <param name="network">Owns the projectors (aggregate_pred_up_feature on the parent side, aggregate_mid on the child side).</param>
    /// <param name="level1Features">Decoder features of the level-1 volume, [1, T, D].</param>
    /// <param name="level2Features">Decoder features of the level-2 volumes, [n2, T, D].</param>
    /// <param name="sample">Where each child lies in its parent.</param>
    /// <param name="legacy">The released code's behaviour: compares level-2 siblings and never uses level-1 features.</param>
    public static Tensor Level1To2(MimPretrainNetwork network, Tensor level1Features, Tensor level2Features, MaskInMaskSample sample, bool legacy)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(level1Features);
        ArgumentNullException.ThrowIfNull(level2Features);
        ArgumentNullException.ThrowIfNull(sample);
        using var scope = NewDisposeScope();
        var childMeans = level2Features.mean([1]);
        var child = network.AggregateMid.call(childMeans);
        Tensor loss;
        if (legacy)
        {
            // Released code: the un-projected mean of the FIRST level-2 volume against every projected sibling.
            loss = ByolDistance.Compute(childMeans[0].unsqueeze(0).expand_as(child), child).mean();
        }
        else
        {
            var parentFeatures = level1Features[0].detach();
            var regionMeans = stack(sample.Level2ParentTokens
                .Select(tokens => parentFeatures.index_select(0, tensor(tokens, device: parentFeatures.device)).mean([0]))
                .ToArray());
            var parent = network.AggregatePredUpFeature.call(regionMeans);
            loss = ByolDistance.Compute(parent, child).mean();
        }

        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>A(2→3): each level-2 parent token (or, legacy, the whole parent volume) against its level-3 child.</summary>
    /// <param name="network">Owns the projectors (aggregate_pred_mid_feature on the parent side, aggregate_down on the child side).</param>
    /// <param name="level2Features">Decoder features of the level-2 volumes, [n2, T, D].</param>
    /// <param name="level3Features">Decoder features of the level-3 volumes, [n3, T, D].</param>
    /// <param name="sample">Which level-2 volume and token is each child's parent.</param>
    /// <param name="legacy">The released code's behaviour: the region is the whole parent volume.</param>
    public static Tensor Level2To3(MimPretrainNetwork network, Tensor level2Features, Tensor level3Features, MaskInMaskSample sample, bool legacy)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(level2Features);
        ArgumentNullException.ThrowIfNull(level3Features);
        ArgumentNullException.ThrowIfNull(sample);
        using var scope = NewDisposeScope();
        var parents = level2Features.detach();
        var volumeIndex = tensor(sample.Level3ParentVolume.Select(v => (long)v).ToArray(), device: parents.device);
        var regions = legacy
            ? parents.mean([1]).index_select(0, volumeIndex)
            : parents[volumeIndex, tensor(sample.Level3ParentToken.ToArray(), device: parents.device)];
        var parent = network.AggregatePredMidFeature.call(regions);
        var child = network.AggregateDown.call(level3Features.mean([1]));
        return ByolDistance.Compute(parent, child).mean().MoveToOuterDisposeScope();
    }
}
