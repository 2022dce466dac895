using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Masking;

namespace MiM.Bundles.Model.Tests.Masking;

public class LegacyRasterGroupsTests
{
    private const int Steps = 40;

    [Fact]
    public void Legacy_groups_leave_some_chosen_octants_only_partly_masked()
    {
        var partly = CountPartlyMaskedChildren(new MaskInMaskConfig { LegacyRasterGroups = true });

        Assert.True(partly > 0, "the released raster groups should leave some chosen octant partly visible at level 1");
    }

    [Fact]
    public void Default_spatial_cubes_never_leave_a_chosen_octant_partly_masked()
    {
        Assert.Equal(0, CountPartlyMaskedChildren(new MaskInMaskConfig()));
    }

    [Fact]
    public void Legacy_level1_mask_is_eight_runs_of_raster_consecutive_tokens_and_octant_k_follows_run_k()
    {
        var sampler = new MaskInMaskSampler(MimNetworkConfig.Smoke, new MaskInMaskConfig { LegacyRasterGroups = true });
        using var crop = MaskingFixtures.Crop(64);
        const int run = 64 / 8;

        for (var step = 0; step < 10; step++)
        {
            using var sample = sampler.Sample(crop, MaskingFixtures.Stream(step));
            var mask = MaskingFixtures.Row(sample.Level1Mask, 0);
            var maskedRuns = Enumerable.Range(0, 8).Where(k => mask[k * run] == 1f).ToArray();

            Assert.All(Enumerable.Range(0, 64), t => Assert.Equal(mask[t / run * run], mask[t]));
            Assert.Equal(4, maskedRuns.Length);
            Assert.Equal(maskedRuns, sample.Level2Octants);
            for (var child = 0; child < 4; child++)
            {
                var k = sample.Level2Octants[child];
                Assert.Equal(Enumerable.Range(k * run, run).Select(t => (long)t), sample.Level2MaskGroupTokens[child]);
                Assert.Equal(MaskingFixtures.CubeOf(k, 4).Order(), sample.Level2ParentTokens[child]);
            }
        }
    }

    private static int CountPartlyMaskedChildren(MaskInMaskConfig config)
    {
        var sampler = new MaskInMaskSampler(MimNetworkConfig.Smoke, config);
        using var crop = MaskingFixtures.Crop(64);
        var partly = 0;
        for (var step = 0; step < Steps; step++)
        {
            using var sample = sampler.Sample(crop, MaskingFixtures.Stream(step));
            var mask = MaskingFixtures.Row(sample.Level1Mask, 0);
            partly += sample.Level2Octants.Count(o => MaskingFixtures.CubeOf(o, 4).Any(t => mask[t] == 0f));
        }

        return partly;
    }
}
