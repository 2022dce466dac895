using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Model.Data;

namespace MiM.Bundles.Model.Tests.Data;

public class CtPreprocessorTests
{
    [Theory]
    [InlineData(-1000f, 0f)]
    [InlineData(1000f, 1f)]
    [InlineData(-2000f, 0f)]
    [InlineData(3000f, 1f)]
    [InlineData(0f, 0.5f)]
    [InlineData(-500f, 0.25f)]
    [InlineData(float.NaN, 0f)]
    public void Hounsfield_units_are_clipped_to_the_window_and_scaled_to_unit_range(float hu, float expected)
    {
        var prepared = CtPreprocessor.Prepare(TestVolumes.Filled(new GridSize(2, 2, 2), TestVolumes.Ras, hu), cropSize: 2);

        Assert.All(prepared.Voxels, v => Assert.Equal(expected, v, 6));
    }

    [Fact]
    public void Preparing_leaves_the_input_volume_unchanged()
    {
        var volume = TestVolumes.Filled(new GridSize(2, 2, 2), TestVolumes.Ras, 3000f);

        CtPreprocessor.Prepare(volume, cropSize: 4);

        Assert.All(volume.Voxels, v => Assert.Equal(3000f, v));
    }

    [Fact]
    public void Axes_smaller_than_the_crop_are_zero_padded_symmetrically_and_larger_axes_are_untouched()
    {
        // 25 → 32 needs 7: 3 before, 4 after (MONAI SpatialPad symmetric); 30 → 32 needs 2: 1 before, 1 after.
        var volume = TestVolumes.Filled(new GridSize(25, 40, 30), TestVolumes.Ras, 500f);

        var prepared = CtPreprocessor.Prepare(volume, cropSize: 32);

        Assert.Equal((32, 40, 32), (prepared.SizeI, prepared.SizeJ, prepared.SizeK));
        for (var k = 0; k < 32; k++)
        {
            for (var j = 0; j < 40; j++)
            {
                for (var i = 0; i < 32; i++)
                {
                    var inside = i is >= 3 and < 28 && k is >= 1 and < 31;
                    Assert.Equal(inside ? 0.75f : 0f, prepared.Voxels[i + (32 * (j + (40 * k)))]);
                }
            }
        }
    }

    [Fact]
    public void Volume_at_least_the_crop_size_is_not_padded()
    {
        var prepared = CtPreprocessor.Prepare(TestVolumes.Filled(new GridSize(33, 32, 40), TestVolumes.Ras, 0f), cropSize: 32);

        Assert.Equal((33, 32, 40), (prepared.SizeI, prepared.SizeJ, prepared.SizeK));
        Assert.DoesNotContain(0f, prepared.Voxels);
    }

    [Fact]
    public void Empty_window_is_rejected()
    {
        var volume = TestVolumes.Filled(new GridSize(2, 2, 2), TestVolumes.Ras, 0f);

        Assert.Throws<ArgumentException>(() => CtPreprocessor.Prepare(volume, 2, huMin: 100, huMax: 100));
    }
}
