using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms;
using MiM.Bundles.Imaging.Transforms.Grids;
using MiM.Bundles.Imaging.Transforms.Spatial;

namespace MiM.Bundles.Imaging.Tests.Transforms;

public class OrientationTransformTests
{
    [Fact]
    public void Lps_grid_to_ras_reverses_i_and_j_and_keeps_k()
    {
        var input = TransformTestData.Indexed(new GridSize(3, 4, 5));

        var output = Apply(new OrientationTransform(AxisCodes.Ras), input);

        // Hand-computed: out[i, j, k] = in[2 − i, 3 − j, k].
        Assert.Equal(input[2, 3, 0], output.Image[0, 0, 0]);
        Assert.Equal(input[0, 1, 4], output.Image[2, 2, 4]);
        Assert.Equal(new Vector3D(-1, 0, 0), output.Geometry.Direction.IAxis);
        Assert.Equal(new Vector3D(0, -1, 0), output.Geometry.Direction.JAxis);
        TransformTestData.AssertVoxelsKeepPositions(input, output.Image);
    }

    [Fact]
    public void Any_axis_codes_are_reached_with_the_axes_permuted_as_nibabel_does()
    {
        var input = TransformTestData.Indexed(new GridSize(3, 4, 5));

        var output = Apply(new OrientationTransform(AxisCodes.Parse("PLI")), input);

        // P = +y = source j, L = +x = source i, I = −z = source k reversed: out[a, b, c] = in[b, a, 4 − c].
        Assert.Equal(new GridSize(4, 3, 5), output.Geometry.Size);
        Assert.Equal(new Vector3D(0.9, 0.8, 2.0), output.Geometry.Spacing);
        Assert.Equal(input[2, 1, 4], output.Image[1, 2, 0]);
        Assert.Equal(input[0, 3, 0], output.Image[3, 0, 4]);
        TransformTestData.AssertVoxelsKeepPositions(input, output.Image);
    }

    [Fact]
    public void Coronal_grid_with_labels_ends_ras_with_labels_moved_like_the_image()
    {
        var image = TransformTestData.Indexed(new GridSize(5, 4, 3), TransformTestData.Coronal);
        var labels = TransformTestData.ScatteredLabels(image.Geometry, [0, 2, 9]);

        var output = new OrientationTransform(AxisCodes.Ras).Apply(new TransformSample(image, labels), TransformTestData.Context())[0];

        Assert.Equal(new Direction3D(new(-1, 0, 0), new(0, -1, 0), new(0, 0, 1)), output.Geometry.Direction);
        Assert.Same(output.Image.Geometry, output.Label!.Geometry);
        TransformTestData.AssertVoxelsKeepPositions(image, output.Image);
        TransformTestData.AssertVoxelsKeepPositions(labels, output.Label);
    }

    [Fact]
    public void A_grid_already_in_the_target_orientation_is_returned_as_it_is()
    {
        var ras = new Direction3D(new(-1, 0, 0), new(0, -1, 0), new(0, 0, 1));
        var sample = new TransformSample(TransformTestData.Indexed(new GridSize(3, 4, 5), ras));

        Assert.Same(sample, Assert.Single(new OrientationTransform(AxisCodes.Ras).Apply(sample, TransformTestData.Context())));
    }

    [Theory]
    [InlineData("RA")]
    [InlineData("RAR")]
    [InlineData("XAS")]
    public void Axis_codes_that_are_not_one_of_each_pair_are_rejected(string codes)
    {
        Assert.Throws<FormatException>(() => AxisCodes.Parse(codes));
    }

    private static TransformSample Apply(OrientationTransform transform, Volume image) =>
        Assert.Single(transform.Apply(new TransformSample(image), TransformTestData.Context()));
}
