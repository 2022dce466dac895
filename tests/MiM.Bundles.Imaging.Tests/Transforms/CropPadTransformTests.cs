using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms;
using MiM.Bundles.Imaging.Transforms.CropPad;

namespace MiM.Bundles.Imaging.Tests.Transforms;

public class CropPadTransformTests
{
    [Fact]
    public void CropForeground_crops_to_the_box_of_voxels_above_the_threshold()
    {
        var image = Volume.Zeros(TransformTestData.Geometry(new GridSize(6, 5, 4)));
        image[1, 2, 1] = 5;
        image[3, 3, 2] = 5;
        var labels = TransformTestData.ScatteredLabels(image.Geometry, [0, 4]);

        var output = Apply(new CropForegroundTransform("image", 0, [0, 0, 0]), new TransformSample(image, labels));

        Assert.Equal(new GridSize(3, 2, 2), output.Geometry.Size);
        Assert.Equal(image.Geometry.IndexToPhysical(1, 2, 1), output.Geometry.Origin);
        Assert.Equal(5f, output.Image[0, 0, 0]);
        Assert.Equal(5f, output.Image[2, 1, 1]);
        TransformTestData.AssertVoxelsKeepPositions(labels, output.Label!);
    }

    [Fact]
    public void CropForeground_margin_grows_the_box_but_stays_inside_the_grid()
    {
        var image = Volume.Zeros(TransformTestData.Geometry(new GridSize(6, 5, 4)));
        image[1, 2, 1] = 5;
        image[3, 3, 2] = 5;

        var output = Apply(new CropForegroundTransform("image", 0, [1, 1, 2]), new TransformSample(image));

        // i 0..4, j 1..4, k 0..3 (k would reach −1 and 4: clipped).
        Assert.Equal(new GridSize(5, 4, 4), output.Geometry.Size);
        Assert.Equal(image.Geometry.IndexToPhysical(0, 1, 0), output.Geometry.Origin);
    }

    [Fact]
    public void CropForeground_on_the_label_key_uses_label_voxels()
    {
        var image = TransformTestData.Indexed(new GridSize(6, 5, 4));
        var labels = LabelMap.Empty(image.Geometry);
        labels[4, 1, 3] = 2;

        var output = Apply(new CropForegroundTransform("label", 0, [0, 0, 0]), new TransformSample(image, labels));

        Assert.Equal(new GridSize(1, 1, 1), output.Geometry.Size);
        Assert.Equal(image[4, 1, 3], output.Image[0, 0, 0]);
    }

    [Fact]
    public void CropForeground_with_nothing_selected_leaves_the_sample_whole()
    {
        var sample = new TransformSample(TransformTestData.Indexed(new GridSize(3, 3, 3)));

        Assert.Same(sample, Apply(new CropForegroundTransform("image", 1000, [0, 0, 0]), sample));
    }

    [Fact]
    public void SpatialPad_symmetric_puts_half_the_missing_voxels_before_and_the_rest_after()
    {
        var image = TransformTestData.Indexed(new GridSize(3, 4, 5));
        var labels = TransformTestData.ScatteredLabels(image.Geometry, [1, 2]);

        var output = Apply(new SpatialPadTransform([6, 2, 8], symmetric: true, value: -7), new TransformSample(image, labels));

        Assert.Equal(new GridSize(6, 4, 8), output.Geometry.Size);
        Assert.Equal(image[0, 0, 0], output.Image[1, 0, 1]); // 3 missing along i: 1 before, 2 after
        Assert.Equal(image[2, 3, 4], output.Image[3, 3, 5]);
        Assert.Equal(-7f, output.Image[0, 0, 0]);
        Assert.Equal(-7f, output.Image[5, 3, 7]);
        Assert.Equal((ushort)0, output.Label![0, 0, 0]);
        Assert.Equal(image.Geometry.IndexToPhysical(-1, 0, -1), output.Geometry.Origin);
        Assert.Equal(image.Voxels.Length, output.Image.Voxels.Count(v => v != -7f));
    }

    [Fact]
    public void SpatialPad_end_pads_after_only_and_leaves_long_enough_axes_alone()
    {
        var image = TransformTestData.Indexed(new GridSize(3, 4, 5));

        var output = Apply(new SpatialPadTransform([5, -1, 5], symmetric: false), new TransformSample(image));

        Assert.Equal(new GridSize(5, 4, 5), output.Geometry.Size);
        Assert.Equal(image.Geometry.Origin, output.Geometry.Origin);
        Assert.Equal(image[2, 3, 4], output.Image[2, 3, 4]);
        Assert.Equal(0f, output.Image[4, 3, 4]);
    }

    [Fact]
    public void SpatialPad_of_a_large_enough_grid_returns_the_sample_itself()
    {
        var sample = new TransformSample(TransformTestData.Indexed(new GridSize(3, 4, 5)));

        Assert.Same(sample, Apply(new SpatialPadTransform([3, 4, 5]), sample));
    }

    private static TransformSample Apply(ISampleTransform transform, TransformSample sample) =>
        Assert.Single(transform.Apply(sample, TransformTestData.Context()));
}
