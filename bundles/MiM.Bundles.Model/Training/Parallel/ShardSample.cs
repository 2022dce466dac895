using MiM.Bundles.Model.Masking;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Parallel;

/// <summary>Cuts one device's shard out of a mask-in-mask sample.</summary>
public static class ShardSample
{
    /// <summary>
    /// The shard's level-2 and level-3 rows on <paramref name="device"/>, with the per-child lists cut to match and each
    /// level-3 child's parent re-indexed into the shard. Level 1 is the original's (the shard does not own it), so the
    /// result must not be disposed: its tensors belong to the caller's dispose scope.
    /// </summary>
    public static MaskInMaskSample Slice(MaskInMaskSample sample, Shard shard, Device device)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(device);
        int s2 = shard.Level2Start, n2 = shard.Level2Count, s3 = shard.Level3Start, n3 = shard.Level3Count;
        return sample with
        {
            Level2Input = sample.Level2Input.narrow(0, s2, n2).to(device),
            Level2Mask = sample.Level2Mask.narrow(0, s2, n2).to(device),
            Level3Input = sample.Level3Input.narrow(0, s3, n3).to(device),
            Level3Mask = sample.Level3Mask.narrow(0, s3, n3).to(device),
            Level2Octants = sample.Level2Octants.Skip(s2).Take(n2).ToArray(),
            Level2ParentTokens = sample.Level2ParentTokens.Skip(s2).Take(n2).ToArray(),
            Level2MaskGroupTokens = sample.Level2MaskGroupTokens.Skip(s2).Take(n2).ToArray(),
            Level2Regions = sample.Level2Regions.Skip(s2).Take(n2).ToArray(),
            Level3ParentVolume = sample.Level3ParentVolume.Skip(s3).Take(n3).Select(v => v - s2).ToArray(),
            Level3ParentToken = sample.Level3ParentToken.Skip(s3).Take(n3).ToArray(),
            Level3Regions = sample.Level3Regions.Skip(s3).Take(n3).ToArray(),
        };
    }
}
