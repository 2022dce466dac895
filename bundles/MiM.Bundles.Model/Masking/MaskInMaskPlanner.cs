using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Randomness;

namespace MiM.Bundles.Model.Masking;

/// <summary>
/// Draws one step's masks and children in a fixed order from one stream (level-1 mask, level-2 children,
/// level-2 masks, level-3 children, level-3 masks), so the plan is a pure function of the stream.
/// </summary>
internal sealed class MaskInMaskPlanner
{
    private readonly MaskInMaskConfig _config;
    private readonly OctantGeometry _geometry;
    private readonly Level1BlockMask _level1;

    public MaskInMaskPlanner(MimNetworkConfig network, MaskInMaskConfig config)
    {
        _config = config;
        _geometry = new OctantGeometry(network);
        _level1 = new Level1BlockMask(_geometry, config);
    }

    public MaskInMaskPlan Draw(StepRandom random)
    {
        var tokens = _geometry.TokenCount;
        var (level1Mask, maskedGroups) = _level1.Draw(random);

        // "Mask in mask": level-2 children are octants whose level-1 group is masked.
        var octants = ChooseSorted(random, maskedGroups, _config.Level2Count);
        var level2Masks = TokenMasks.DrawRows(random, octants.Length, tokens, _config.Level2MaskRatio);

        var parentVolume = new List<int>();
        var parentToken = new List<long>();
        var level3Regions = new List<CropRegion>();
        for (var volume = 0; volume < octants.Length; volume++)
        {
            var masked = Enumerable.Range(0, tokens).Where(t => level2Masks[(volume * tokens) + t] == 1f).ToArray();
            var octant = _geometry.OctantRegion(octants[volume]);
            foreach (var token in ChooseSorted(random, masked, _config.Level3PerLevel2))
            {
                var (s2, s3, s4) = _geometry.TokenOffset(token);
                parentVolume.Add(volume);
                parentToken.Add(token);
                level3Regions.Add(new CropRegion(
                    octant.Start2 + s2, octant.Start3 + s3, octant.Start4 + s4, MimNetworkConfig.TokenSize));
            }
        }

        var level3Masks = TokenMasks.DrawRows(random, parentVolume.Count, tokens, _config.Level3MaskRatio);
        return new MaskInMaskPlan(
            level1Mask,
            octants,
            [.. octants.Select(_geometry.CubeTokens)],
            [.. octants.Select(_level1.GroupTokens)],
            [.. octants.Select(_geometry.OctantRegion)],
            level2Masks,
            [.. parentVolume],
            [.. parentToken],
            [.. level3Regions],
            level3Masks);
    }

    private static int[] ChooseSorted(StepRandom random, int[] candidates, int count) =>
        [.. random.Choose(candidates.Length, count).Select(i => candidates[i]).Order()];
}
