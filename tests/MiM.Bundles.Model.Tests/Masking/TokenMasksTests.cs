using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Randomness;

namespace MiM.Bundles.Model.Tests.Masking;

public class TokenMasksTests
{
    [Theory]
    [InlineData(216, 0.6, 86)]
    [InlineData(216, 0.5, 108)]
    [InlineData(64, 0.6, 25)]
    [InlineData(8, 0.6, 3)]
    [InlineData(8, 0.5, 4)]
    public void Every_row_has_exactly_floor_tokens_times_one_minus_ratio_visible(int tokens, double ratio, int visible)
    {
        using var mask = TokenMasks.Random(new StepRandom(1, 2, RandomPurpose.Other), 16, tokens, ratio);

        Assert.Equal([16L, tokens], mask.shape);
        for (var row = 0; row < 16; row++)
        {
            var values = MaskingFixtures.Row(mask, row);
            Assert.All(values, v => Assert.True(v is 0f or 1f));
            Assert.Equal(visible, values.Count(v => v == 0f));
        }
    }

    [Fact]
    public void Rows_are_drawn_independently()
    {
        using var mask = TokenMasks.Random(new StepRandom(1, 2, RandomPurpose.Other), 8, 216, 0.6);

        var rows = Enumerable.Range(0, 8).Select(r => string.Concat(MaskingFixtures.Row(mask, r))).ToHashSet();
        Assert.Equal(8, rows.Count);
    }

    [Fact]
    public void The_same_stream_gives_the_same_masks()
    {
        using var a = TokenMasks.Random(new StepRandom(3, 9, RandomPurpose.Masking), 4, 64, 0.5);
        using var b = TokenMasks.Random(new StepRandom(3, 9, RandomPurpose.Masking), 4, 64, 0.5);
        using var c = TokenMasks.Random(new StepRandom(3, 10, RandomPurpose.Masking), 4, 64, 0.5);

        Assert.True(MaskingFixtures.Same(a, b));
        Assert.False(MaskingFixtures.Same(a, c));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_ratio_outside_zero_one_is_refused(double ratio) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenMasks.Random(new StepRandom(1, 1, RandomPurpose.Other), 1, 8, ratio));
}
