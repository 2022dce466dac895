using MiM.Bundles.Model.Randomness;

namespace MiM.Bundles.Model.Masking;

/// <summary>
/// The level-1 mask: eight groups of T/8 tokens, each wholly visible or wholly masked, and group k stands for
/// octant k when level-2 children are chosen. By default group k is octant k's token cube, so a chosen octant
/// is exactly a masked region; with <see cref="MaskInMaskConfig.LegacyRasterGroups"/> group k is the k-th run of
/// raster-consecutive tokens, as in the released code, so the octant it selects is only partly masked.
/// </summary>
internal sealed class Level1BlockMask
{
    private readonly long[][] _groups;
    private readonly int _tokenCount;
    private readonly int _visibleGroups;

    public Level1BlockMask(OctantGeometry geometry, MaskInMaskConfig config)
    {
        _tokenCount = geometry.TokenCount;
        _groups = [.. Enumerable.Range(0, OctantGeometry.OctantCount)
            .Select(k => config.LegacyRasterGroups ? geometry.RasterGroupTokens(k) : geometry.CubeTokens(k))];
        _visibleGroups = TokenMasks.VisibleCount(_tokenCount, config.Level1MaskRatio) / (_tokenCount / OctantGeometry.OctantCount);
    }

    /// <summary>The tokens of group <paramref name="group"/>, ascending.</summary>
    public long[] GroupTokens(int group) => _groups[group];

    /// <summary>Draws which groups stay visible; returns the token mask (1 = masked) and the masked groups, ascending.</summary>
    public (float[] Mask, int[] MaskedGroups) Draw(StepRandom random)
    {
        var visible = random.Choose(OctantGeometry.OctantCount, _visibleGroups);
        var mask = new float[_tokenCount];
        Array.Fill(mask, 1f);
        foreach (var group in visible)
        {
            foreach (var token in _groups[group])
            {
                mask[token] = 0f;
            }
        }

        var masked = Enumerable.Range(0, OctantGeometry.OctantCount).Except(visible).Order().ToArray();
        return (mask, masked);
    }
}
