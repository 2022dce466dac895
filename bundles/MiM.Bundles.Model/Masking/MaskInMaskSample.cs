using static TorchSharp.torch;

namespace MiM.Bundles.Model.Masking;

/// <summary>
/// One step's three levels of masked volumes, all float32 on the CPU with masks [volumes, T] (1 = masked).
/// Children are listed in order of their parent (level-2 by octant index, level-3 by parent volume, then token).
/// Disposing the sample disposes its tensors.
/// </summary>
public sealed record MaskInMaskSample : IDisposable
{
    /// <summary>The crop resized 2S→S (trilinear, align_corners false): [1, 1, S, S, S].</summary>
    public required Tensor Level1Input { get; init; }

    /// <summary>Level-1 block mask [1, T].</summary>
    public required Tensor Level1Mask { get; init; }

    /// <summary>Octants of the crop at native resolution: [n2, 1, S, S, S].</summary>
    public required Tensor Level2Input { get; init; }

    /// <summary>Level-2 token masks [n2, T].</summary>
    public required Tensor Level2Mask { get; init; }

    /// <summary>Masked level-2 tokens (16³ voxels each) upsampled to S³ (trilinear, align_corners false): [n3, 1, S, S, S].</summary>
    public required Tensor Level3Input { get; init; }

    /// <summary>Level-3 token masks [n3, T].</summary>
    public required Tensor Level3Mask { get; init; }

    /// <summary>Octant index (a·4 + b·2 + c over dims 2, 3, 4) of each level-2 child.</summary>
    public required IReadOnlyList<int> Level2Octants { get; init; }

    /// <summary>For each level-2 child, the level-1 tokens of its octant's cube: the region of the 1→2 alignment.</summary>
    public required IReadOnlyList<long[]> Level2ParentTokens { get; init; }

    /// <summary>
    /// For each level-2 child, the level-1 tokens of the mask group that made it eligible: its cube by default,
    /// the raster-consecutive group of the same index with <see cref="MaskInMaskConfig.LegacyRasterGroups"/>.
    /// Every one of these tokens is masked at level 1.
    /// </summary>
    public required IReadOnlyList<long[]> Level2MaskGroupTokens { get; init; }

    /// <summary>Where each level-2 child lies in the crop.</summary>
    public required IReadOnlyList<CropRegion> Level2Regions { get; init; }

    /// <summary>For each level-3 child, the index of its parent level-2 volume (row of <see cref="Level2Input"/>).</summary>
    public required IReadOnlyList<int> Level3ParentVolume { get; init; }

    /// <summary>For each level-3 child, the token of its parent level-2 volume that it enlarges (masked there).</summary>
    public required IReadOnlyList<long> Level3ParentToken { get; init; }

    /// <summary>Where each level-3 child (16³ voxels before upsampling) lies in the crop.</summary>
    public required IReadOnlyList<CropRegion> Level3Regions { get; init; }

    /// <summary>Carried from <see cref="MaskInMaskConfig.LegacyAlignment"/> for the alignment loss.</summary>
    public bool LegacyAlignment { get; init; }

    /// <inheritdoc/>
    public void Dispose()
    {
        Level1Input.Dispose();
        Level1Mask.Dispose();
        Level2Input.Dispose();
        Level2Mask.Dispose();
        Level3Input.Dispose();
        Level3Mask.Dispose();
    }
}
