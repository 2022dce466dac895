using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms;
using MiM.Bundles.Imaging.Transforms.Intensity;

namespace MiM.Bundles.Imaging.Tests.Transforms;

public class IntensityTransformTests
{
    private static readonly VolumeGeometry Row = new(new GridSize(7, 1, 1), default, new Vector3D(1, 1, 1), Direction3D.Identity);

    [Fact]
    public void Btcv_window_maps_minus_175_to_0_and_250_to_1_and_clips_beyond()
    {
        var image = new Volume(Row, [-1000, -175, 37.5f, 250, 1000, float.NaN, 143.75f]);

        var output = Apply(new ScaleIntensityRangeTransform(-175, 250, 0, 1, clip: true), new TransformSample(image));

        Assert.Equal([0f, 0f, 0.5f, 1f, 1f, 0f, 0.75f], output.Image.Voxels);
    }

    [Fact]
    public void Without_clip_values_outside_the_window_extrapolate_as_in_monai()
    {
        var image = new Volume(Row, [-600, -175, 37.5f, 250, 675, 0, 0]);

        var output = Apply(new ScaleIntensityRangeTransform(-175, 250, -1, 1, clip: false), new TransformSample(image));

        Assert.Equal(-3f, output.Image.Voxels[0]);
        Assert.Equal(-1f, output.Image.Voxels[1]);
        Assert.Equal(0f, output.Image.Voxels[2]);
        Assert.Equal(1f, output.Image.Voxels[3]);
        Assert.Equal(3f, output.Image.Voxels[4]);
    }

    [Fact]
    public void Scaling_leaves_the_input_and_the_labels_untouched()
    {
        var image = new Volume(Row, [1, 2, 3, 4, 5, 6, 7]);
        var labels = new LabelMap(Row, [0, 1, 2, 3, 4, 5, 6]);

        var output = Apply(new ScaleIntensityRangeTransform(0, 10, 0, 1, clip: true), new TransformSample(image, labels));

        Assert.Equal([1f, 2, 3, 4, 5, 6, 7], image.Voxels);
        Assert.Same(labels, output.Label);
    }

    [Fact]
    public void Shift_adds_one_offset_from_the_range_to_every_voxel()
    {
        var image = new Volume(Row, [1, 2, 3, 4, 5, 6, 7]);
        var shift = new RandShiftIntensityTransform(2, 3, prob: 1);

        var output = Apply(shift, new TransformSample(image));

        var offset = output.Image.Voxels[0] - 1;
        Assert.InRange(offset, 2f, 3f);
        Assert.Equal(image.Voxels.Select(v => v + offset), output.Image.Voxels);
    }

    [Fact]
    public void Shift_offsets_differ_between_samples_and_repeat_for_the_same_seed()
    {
        var image = new Volume(Row, [0, 0, 0, 0, 0, 0, 0]);
        var shift = new RandShiftIntensityTransform(-5, 5, prob: 1);

        var offsets = Enumerable.Range(0, 20).Select(s => shift.Apply(new TransformSample(image), TransformTestData.Context(sample: s))[0].Image.Voxels[0]).ToArray();
        var again = Enumerable.Range(0, 20).Select(s => shift.Apply(new TransformSample(image), TransformTestData.Context(sample: s))[0].Image.Voxels[0]).ToArray();

        Assert.Equal(offsets, again);
        Assert.True(offsets.Distinct().Count() > 15);
        Assert.All(offsets, o => Assert.InRange(o, -5f, 5f));
    }

    [Fact]
    public void Shift_with_probability_0_returns_the_sample_unchanged()
    {
        var sample = new TransformSample(new Volume(Row, [1, 2, 3, 4, 5, 6, 7]));

        Assert.Same(sample, Apply(new RandShiftIntensityTransform(1, 2, prob: 0), sample));
    }

    private static TransformSample Apply(ISampleTransform transform, TransformSample sample) =>
        Assert.Single(transform.Apply(sample, TransformTestData.Context()));
}
