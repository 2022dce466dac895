using System.Diagnostics;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms;
using MiM.Bundles.Imaging.Transforms.Grids;
using MiM.Bundles.Imaging.Transforms.Spatial;

namespace MiM.Bundles.Imaging.Tests.Transforms;

public class SpacingTransformTests
{
    [Theory]
    [InlineData(10, 1.0, 3.0, 4)] // 9/3 + 1 = 4
    [InlineData(12, 1.0, 3.0, 5)] // 11/3 + 1 = 4.67 → 5
    [InlineData(6, 1.0, 2.0, 4)] // 5/2 + 1 = 3.5 → 4 (numpy rounds half to even)
    [InlineData(4, 1.0, 2.0, 2)] // 3/2 + 1 = 2.5 → 2
    [InlineData(5, 1.0, 0.5, 9)] // 4·2 + 1
    public void Output_size_is_monai_compute_shape_offset_rounding(int size, double spacing, double pixdim, int expected)
    {
        var geometry = new VolumeGeometry(new GridSize(size, 3, 3), default, new Vector3D(spacing, 1, 1), Direction3D.Identity);

        var target = new SpacingTransform([pixdim, -1, 0]).TargetGeometry(geometry);

        Assert.Equal(new GridSize(expected, 3, 3), target.Size);
        Assert.Equal(new Vector3D(pixdim, 1, 1), target.Spacing);
        Assert.Equal(geometry.Origin, target.Origin);
    }

    [Fact]
    public void Halving_the_spacing_interpolates_midpoints_linearly()
    {
        var geometry = new VolumeGeometry(new GridSize(5, 1, 1), default, new Vector3D(1, 1, 1), Direction3D.Identity);
        var image = new Volume(geometry, [0, 10, 20, 30, 40]);

        var output = Apply(new SpacingTransform([0.5, 1, 1]), new TransformSample(image));

        Assert.Equal([0, 5, 10, 15, 20, 25, 30, 35, 40], output.Image.Voxels);
    }

    [Fact]
    public void Trilinear_resampling_reproduces_a_linear_function_at_every_new_voxel()
    {
        var geometry = TransformTestData.Geometry(new GridSize(9, 8, 7), TransformTestData.Coronal, new Vector3D(1, 1, 1));
        var image = TransformTestData.Linear(geometry);

        var output = Apply(new SpacingTransform([0.7, 1.3, 0.9]), new TransformSample(image));

        for (var k = 0; k < output.Geometry.Size.K; k++)
        {
            for (var j = 0; j < output.Geometry.Size.J; j++)
            {
                for (var i = 0; i < output.Geometry.Size.I; i++)
                {
                    // Border padding: positions past the last voxel take the edge value.
                    var x = geometry.PhysicalToIndex(output.Geometry.IndexToPhysical(i, j, k));
                    var expected = TransformTestData.LinearValue(Math.Min(x.X, 8), Math.Min(x.Y, 7), Math.Min(x.Z, 6));
                    Assert.Equal(expected, output.Image[i, j, k], 3);
                }
            }
        }
    }

    [Fact]
    public void Labels_are_resampled_by_nearest_neighbour_and_take_no_new_values()
    {
        var image = TransformTestData.Indexed(new GridSize(11, 9, 7));
        var labels = TransformTestData.ScatteredLabels(image.Geometry, [0, 3, 7, 12]);

        var output = Apply(new SpacingTransform([1.1, 0.35, 1.7]), new TransformSample(image, labels));

        Assert.Subset(new HashSet<ushort>([0, 3, 7, 12]), output.Label!.CountVoxels().Keys.ToHashSet());
        for (var n = 0; n < output.Label.Voxels.Length; n += 17)
        {
            var i = (int)(n % output.Geometry.Size.I);
            var j = (int)(n / output.Geometry.Size.I % output.Geometry.Size.J);
            var k = (int)(n / ((long)output.Geometry.Size.I * output.Geometry.Size.J));
            var x = labels.Geometry.PhysicalToIndex(output.Geometry.IndexToPhysical(i, j, k));
            var nearest = labels[Clamp(x.X, 11), Clamp(x.Y, 9), Clamp(x.Z, 7)];
            Assert.Equal(nearest, output.Label.Voxels[n]);
        }
    }

    [Fact]
    public void Nearest_image_mode_takes_only_source_values()
    {
        var image = TransformTestData.Indexed(new GridSize(6, 5, 4));

        var output = Apply(new SpacingTransform([0.33, 0.5, 0.7], Interpolation.Nearest), new TransformSample(image));

        Assert.Subset(image.Voxels.ToHashSet(), output.Image.Voxels.ToHashSet());
    }

    [Fact]
    public void Result_is_bit_identical_on_one_thread_and_on_many()
    {
        var image = TransformTestData.Linear(TransformTestData.Geometry(new GridSize(40, 36, 30), TransformTestData.Coronal));
        for (var n = 0; n < image.Voxels.Length; n++)
        {
            image.Voxels[n] = MathF.Sin(n * 0.37f) * 1000;
        }

        var spacing = new SpacingTransform([0.63, 1.17, 1.49]);

        var one = spacing.Apply(new TransformSample(image), TransformTestData.Context(threads: 1))[0];
        var many = spacing.Apply(new TransformSample(image), TransformTestData.Context(threads: 8))[0];

        Assert.Equal(one.Image.Voxels, many.Image.Voxels);
    }

    [Fact]
    public void A_256_by_256_by_160_ct_resamples_to_btcv_spacing_within_a_few_seconds()
    {
        // Budget far above the measured time (see the report) so a busy shared CI machine cannot fail it by chance.
        var geometry = new VolumeGeometry(new GridSize(256, 256, 160), default, new Vector3D(0.8, 0.8, 1.25), Direction3D.Identity);
        var image = Volume.Zeros(geometry);
        var spacing = new SpacingTransform([1.5, 1.5, 2.0]);
        spacing.Apply(new TransformSample(image), TransformTestData.Context()); // warm-up (JIT)

        var clock = Stopwatch.StartNew();
        var output = spacing.Apply(new TransformSample(image), TransformTestData.Context())[0];
        clock.Stop();

        Assert.Equal(new GridSize(137, 137, 100), output.Geometry.Size);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"Spacing took {clock.Elapsed.TotalMilliseconds:F0} ms.");
    }

    private static int Clamp(double x, int count) => Math.Clamp((int)Math.Floor(x + 0.5), 0, count - 1);

    private static TransformSample Apply(SpacingTransform transform, TransformSample sample) =>
        Assert.Single(transform.Apply(sample, TransformTestData.Context()));
}
