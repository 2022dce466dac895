using MiM.Bundles.Model.Data;
using MiM.Bundles.Model.Randomness;

namespace MiM.Bundles.Model.Tests.Data;

public class RandomCropTests
{
    private static readonly PreparedVolume Volume = Indexed(40, 36, 50);

    [Fact]
    public void Same_seed_and_step_give_the_same_offset_and_voxels()
    {
        var a = RandomCrop.Crop(Volume, 32, new StepRandom(7, 12, RandomPurpose.Crop), out var offsetA);
        var b = RandomCrop.Crop(Volume, 32, new StepRandom(7, 12, RandomPurpose.Crop), out var offsetB);

        Assert.Equal(offsetA, offsetB);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Different_steps_mostly_give_different_offsets()
    {
        var offsets = Enumerable.Range(0, 50).Select(step => OffsetOf(seed: 7, step)).ToHashSet();

        Assert.True(offsets.Count > 40, $"only {offsets.Count} distinct offsets in 50 steps");
    }

    [Fact]
    public void Every_offset_is_valid_and_both_ends_of_each_range_occur()
    {
        var offsets = Enumerable.Range(0, 500).Select(step => OffsetOf(seed: 1, step)).ToList();

        Assert.All(offsets, o => Assert.True(o.I is >= 0 and <= 8 && o.J is >= 0 and <= 4 && o.K is >= 0 and <= 18, $"offset {o}"));
        Assert.Contains(offsets, o => o.I == 0);
        Assert.Contains(offsets, o => o.I == 8);
        Assert.Contains(offsets, o => o.J == 4);
        Assert.Contains(offsets, o => o.K == 18);
    }

    [Fact]
    public void Crop_holds_the_volume_voxels_at_its_offset()
    {
        var crop = RandomCrop.Crop(Volume, 32, new StepRandom(3, 4, RandomPurpose.Crop), out var o);

        for (var k = 0; k < 32; k += 7)
        {
            for (var j = 0; j < 32; j += 5)
            {
                for (var i = 0; i < 32; i += 3)
                {
                    var expected = Volume.Voxels[o.I + i + (40 * (o.J + j + (36 * (o.K + k))))];
                    Assert.Equal(expected, crop[i + (32 * (j + (32 * k)))]);
                }
            }
        }
    }

    [Fact]
    public void Crop_of_exactly_the_volume_size_has_offset_zero()
    {
        var crop = RandomCrop.Crop(Indexed(8, 8, 8), 8, new StepRandom(1, 1, RandomPurpose.Crop), out var offset);

        Assert.Equal((0, 0, 0), offset);
        Assert.Equal(Indexed(8, 8, 8).Voxels, crop);
    }

    [Fact]
    public void Volume_smaller_than_the_crop_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => RandomCrop.Crop(Indexed(31, 40, 40), 32, new StepRandom(1, 1, RandomPurpose.Crop), out _));
    }

    private static (int I, int J, int K) OffsetOf(ulong seed, long step)
    {
        RandomCrop.Crop(Volume, 32, new StepRandom(seed, step, RandomPurpose.Crop), out var offset);
        return offset;
    }

    private static PreparedVolume Indexed(int i, int j, int k) =>
        new(Enumerable.Range(0, i * j * k).Select(n => (float)n).ToArray(), i, j, k);
}
