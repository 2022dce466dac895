using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms;
using MiM.Bundles.Imaging.Transforms.CropPad;

namespace MiM.Bundles.Imaging.Tests.Transforms;

public class RandCropByPosNegLabelTransformTests
{
    private const int Crop = 8;

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(1.0, 3.0)]
    [InlineData(2.0, 1.0)]
    public void Share_of_foreground_centred_crops_follows_pos_over_pos_plus_neg(double pos, double neg)
    {
        var sample = CubeSample();
        var transform = new RandCropByPosNegLabelTransform([Crop, Crop, Crop], pos, neg, numSamples: 20, useImage: false, imageThreshold: 0);
        const int Draws = 100;

        var positive = 0;
        for (var s = 0; s < Draws; s++)
        {
            // The crop's centre voxel sits at size/2 (crops near the grid edge move, but there the label is background).
            positive += transform.Apply(sample, TransformTestData.Context(sample: s)).Count(c => c.Label![Crop / 2, Crop / 2, Crop / 2] > 0);
        }

        var n = Draws * 20;
        var p = pos / (pos + neg);
        var sigma = Math.Sqrt(n * p * (1 - p));
        Assert.InRange(positive, (n * p) - (4 * sigma), (n * p) + (4 * sigma));
    }

    [Fact]
    public void Each_crop_has_the_crop_size_and_copies_the_voxels_at_its_physical_position()
    {
        var sample = CubeSample();

        var crops = new RandCropByPosNegLabelTransform([Crop, 6, 4], 1, 1, numSamples: 6, useImage: false, imageThreshold: 0).Apply(sample, TransformTestData.Context());

        Assert.Equal(6, crops.Count);
        Assert.All(crops, c =>
        {
            Assert.Equal(new GridSize(Crop, 6, 4), c.Geometry.Size);
            TransformTestData.AssertVoxelsKeepPositions(sample.Image, c.Image);
            TransformTestData.AssertVoxelsKeepPositions(sample.Label!, c.Label!);
        });
    }

    [Fact]
    public void Background_centres_with_an_image_key_lie_where_the_image_exceeds_the_threshold()
    {
        var sample = CubeSample();

        // neg only: every centre is background with image > 0.5, i.e. in the i ≥ 30 slab of the body.
        var crops = new RandCropByPosNegLabelTransform([1, 1, 1], 0, 1, numSamples: 50, useImage: true, imageThreshold: 0.5).Apply(sample, TransformTestData.Context());

        Assert.All(crops, c =>
        {
            Assert.Equal((ushort)0, c.Label![0, 0, 0]);
            Assert.True(c.Image[0, 0, 0] > 0.5f);
        });
    }

    [Fact]
    public void A_grid_smaller_than_the_crop_is_an_error_that_says_to_pad()
    {
        var sample = CubeSample();

        var error = Assert.Throws<InvalidOperationException>(() =>
            new RandCropByPosNegLabelTransform([41, 8, 8], 1, 1, 1, false, 0).Apply(sample, TransformTestData.Context()));

        Assert.Contains("SpatialPad", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_seed_and_sample_give_the_same_crops_and_other_samples_give_others()
    {
        var sample = CubeSample();
        var transform = new RandCropByPosNegLabelTransform([Crop, Crop, Crop], 1, 1, numSamples: 4, useImage: false, imageThreshold: 0);

        var a = transform.Apply(sample, TransformTestData.Context(seed: 5, sample: 3)).Select(c => c.Geometry.Origin).ToArray();
        var b = transform.Apply(sample, TransformTestData.Context(seed: 5, sample: 3)).Select(c => c.Geometry.Origin).ToArray();
        var c = transform.Apply(sample, TransformTestData.Context(seed: 5, sample: 4)).Select(c => c.Geometry.Origin).ToArray();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    // A 40³ grid with a 10³ organ (label 1) in the middle; image 1 for i ≥ 30, else 0.
    private static TransformSample CubeSample()
    {
        var geometry = TransformTestData.Geometry(new GridSize(40, 40, 40));
        var image = Volume.Zeros(geometry);
        var labels = LabelMap.Empty(geometry);
        for (var k = 0; k < 40; k++)
        {
            for (var j = 0; j < 40; j++)
            {
                for (var i = 0; i < 40; i++)
                {
                    image[i, j, k] = i >= 30 ? 1 : 0;
                    labels[i, j, k] = (ushort)(i is >= 15 and < 25 && j is >= 15 and < 25 && k is >= 15 and < 25 ? 1 : 0);
                }
            }
        }

        return new TransformSample(image, labels);
    }
}
