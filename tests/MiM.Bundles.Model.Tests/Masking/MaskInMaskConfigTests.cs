using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Masking;

namespace MiM.Bundles.Model.Tests.Masking;

public class MaskInMaskConfigTests
{
    [Fact]
    public void Defaults_are_the_papers_recipe_and_fit_the_full_and_smoke_networks()
    {
        var config = new MaskInMaskConfig();

        Assert.Equal((0.5, 4, 0.6, 4, 0.5), (config.Level1MaskRatio, config.Level2Count, config.Level2MaskRatio, config.Level3PerLevel2, config.Level3MaskRatio));
        Assert.False(config.LegacyRasterGroups);
        Assert.False(config.LegacyAlignment);
        config.Validate(MimNetworkConfig.Full);
        config.Validate(MimNetworkConfig.Smoke);
        MaskingFixtures.UnitConfig.Validate(MimNetworkConfig.Unit);
    }

    [Theory]
    [InlineData(0.0, 0.6, 0.5, "Level1MaskRatio must lie strictly between 0 and 1, was 0")]
    [InlineData(0.5, 1.0, 0.5, "Level2MaskRatio must lie strictly between 0 and 1, was 1")]
    [InlineData(0.5, 0.6, -0.25, "Level3MaskRatio must lie strictly between 0 and 1, was -0.25")]
    [InlineData(0.5, 0.6, double.NaN, "Level3MaskRatio must lie strictly between 0 and 1, was NaN")]
    public void A_ratio_outside_the_open_unit_interval_is_named_in_the_error(double r1, double r2, double r3, string expected)
    {
        var config = new MaskInMaskConfig { Level1MaskRatio = r1, Level2MaskRatio = r2, Level3MaskRatio = r3 };

        var error = Assert.Throws<ArgumentException>(() => config.Validate(MimNetworkConfig.Full));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void More_level2_children_than_masked_cubes_is_refused()
    {
        var config = new MaskInMaskConfig { Level2Count = 5 };

        var error = Assert.Throws<ArgumentException>(() => config.Validate(MimNetworkConfig.Full));
        Assert.Contains("Level2Count 5 exceeds the 4 octant cubes masked at level 1", error.Message);
    }

    [Fact]
    public void More_level3_children_than_masked_level2_tokens_is_refused()
    {
        // Unit: T = 8, ratio 0.6 keeps floor(3.2) = 3 visible, so 5 tokens are masked.
        var config = MaskingFixtures.UnitConfig with { Level3PerLevel2 = 6 };

        var error = Assert.Throws<ArgumentException>(() => new MaskInMaskSampler(MimNetworkConfig.Unit, config));
        Assert.Contains("Level3PerLevel2 6 exceeds the 5 tokens masked per level-2 volume", error.Message);
    }

    [Fact]
    public void An_odd_token_grid_is_refused_because_octants_would_split_tokens()
    {
        var error = Assert.Throws<ArgumentException>(() => new MaskInMaskConfig().Validate(MaskingFixtures.Network(48)));

        Assert.Contains("G = 3", error.Message);
    }

    [Fact]
    public void A_level1_ratio_that_does_not_mask_whole_octant_cubes_is_refused()
    {
        // 216 · 0.4 = 86.4 → 86 visible tokens, not a multiple of 27.
        var error = Assert.Throws<ArgumentException>(() => new MaskInMaskConfig { Level1MaskRatio = 0.6 }.Validate(MimNetworkConfig.Full));

        Assert.Contains("leaves 86 of 216 level-1 tokens visible", error.Message);
        new MaskInMaskConfig { Level1MaskRatio = 0.625, Level2Count = 5 }.Validate(MimNetworkConfig.Full);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var config = new MaskInMaskConfig { Level1MaskRatio = 2, Level2Count = 0, Level3PerLevel2 = 0 };

        var error = Assert.Throws<ArgumentException>(() => config.Validate(MimNetworkConfig.Full));
        Assert.Contains("Level1MaskRatio", error.Message);
        Assert.Contains("Level2Count must be at least 1", error.Message);
        Assert.Contains("Level3PerLevel2 must be at least 1", error.Message);
    }
}
