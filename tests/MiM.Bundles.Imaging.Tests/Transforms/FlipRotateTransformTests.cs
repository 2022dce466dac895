using System.Globalization;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Tests.Interop;
using MiM.Bundles.Imaging.Tests.Nifti;
using MiM.Bundles.Imaging.Transforms;
using MiM.Bundles.Imaging.Transforms.Grids;
using MiM.Bundles.Imaging.Transforms.Spatial;

namespace MiM.Bundles.Imaging.Tests.Transforms;

public class FlipRotateTransformTests
{
    private static readonly GridSize Size = new(3, 4, 5);

    [Fact]
    public void RandFlip_with_probability_1_reverses_the_given_axis()
    {
        var image = TransformTestData.Indexed(Size);

        var output = Apply(new RandFlipTransform(1, [0]), image);

        Assert.Equal(image[2, 1, 3], output.Image[0, 1, 3]);
        Assert.Equal(image[0, 3, 4], output.Image[2, 3, 4]);
        TransformTestData.AssertVoxelsKeepPositions(image, output.Image);
    }

    [Fact]
    public void RandFlip_without_axes_reverses_all_three()
    {
        var image = TransformTestData.Indexed(Size);

        var output = Apply(new RandFlipTransform(1, null), image);

        Assert.Equal(image[2, 3, 4], output.Image[0, 0, 0]);
        Assert.Equal(image.Voxels.Reverse(), output.Image.Voxels);
    }

    [Fact]
    public void RandFlip_fires_in_about_prob_of_the_samples()
    {
        var image = TransformTestData.Indexed(Size);
        var flip = new RandFlipTransform(0.3, [1]);

        var flipped = Enumerable.Range(0, 1000).Count(s => !ReferenceEquals(image, flip.Apply(new TransformSample(image), TransformTestData.Context(sample: s))[0].Image));

        Assert.InRange(flipped, 300 - 58, 300 + 58); // 4σ of a binomial(1000, 0.3)
    }

    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(2, 0, 1)]
    [InlineData(3, 0, 1)]
    [InlineData(1, 0, 2)]
    [InlineData(1, 2, 1)]
    [InlineData(3, 1, 2)]
    public void Rotate90_matches_numpy_rot90_voxel_for_voxel(int k, int first, int second)
    {
        var image = TransformTestData.Indexed(Size);
        var rotation = new RandRotate90Transform(1, 3, first, second);

        var output = OrientationTransform_Remap(image, rotation.Mapping(k));

        var expected = NumpyRot90(image, k, first, second, out var shape);
        Assert.Equal(shape, output.Size);
        Assert.Equal(expected, output.Voxels);
        TransformTestData.AssertVoxelsKeepPositions(image, output);
    }

    [Fact]
    public void RandRotate90_with_max_k_1_is_one_quarter_turn()
    {
        var image = TransformTestData.Indexed(Size);
        var rotation = new RandRotate90Transform(1, 1, 0, 1);

        var output = Apply(rotation, image);

        Assert.Equal(NumpyRot90(image, 1, 0, 1, out _), output.Image.Voxels);
    }

    private static Volume OrientationTransform_Remap(Volume image, AxisMapping mapping)
    {
        var (voxels, geometry) = AxisReorientation.Apply(image.Voxels, image.Geometry, mapping);
        return new Volume(geometry, voxels);
    }

    // numpy holds the grid as a[i, j, k]; our buffer is i fastest, i.e. C order of shape (K, J, I).
    private static float[] NumpyRot90(Volume image, int k, int first, int second, out GridSize shape)
    {
        using var folder = new TemporaryFolder();
        var script = string.Create(CultureInfo.InvariantCulture, $$"""
            import numpy as np
            a = np.arange({{image.Voxels.Length}}, dtype=np.float64).reshape({{Size.K}}, {{Size.J}}, {{Size.I}}).transpose(2, 1, 0)
            b = np.rot90(a, {{k}}, axes=({{first}}, {{second}}))
            print(*b.shape)
            print(*[int(v) for v in b.transpose(2, 1, 0).ravel()])
            """);
        var lines = ExternalTool.Run("/usr/bin/python3", folder.Path, "-c", script).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var dims = lines[0].Split(' ').Select(int.Parse).ToArray();
        shape = new GridSize(dims[0], dims[1], dims[2]);
        return [.. lines[1].Split(' ').Select(float.Parse)];
    }

    private static TransformSample Apply(ISampleTransform transform, Volume image) =>
        Assert.Single(transform.Apply(new TransformSample(image), TransformTestData.Context()));
}
