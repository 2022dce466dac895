using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Phantoms;
using MiM.Bundles.Imaging.Transforms.Grids;
using MiM.Bundles.Model.Data;

namespace MiM.Bundles.Model.Tests.Data;

public class RasReorientationTests
{
    private static readonly Vector3D Right = new(-1, 0, 0);
    private static readonly Vector3D Anterior = new(0, -1, 0);
    private static readonly Vector3D Superior = new(0, 0, 1);

    [Fact]
    public void Lps_identity_grid_is_flipped_along_i_and_j_only()
    {
        var mapping = RasReorientation.Plan(Direction3D.Identity);

        Assert.Equal(new AxisMapping(0, 1, 2, FlipI: true, FlipJ: true, FlipK: false), mapping);
    }

    [Fact]
    public void Ras_grid_is_left_alone()
    {
        Assert.True(RasReorientation.Plan(TestVolumes.Ras).IsIdentity);
    }

    [Fact]
    public void Lps_identity_volume_ends_in_ras_with_every_voxel_at_its_old_position()
    {
        var input = TestVolumes.Indexed(new GridSize(3, 4, 5), Direction3D.Identity);

        var output = RasReorientation.Apply(input);

        AssertDirection(output.Geometry.Direction, Right, Anterior, Superior);
        Assert.Equal(new GridSize(3, 4, 5), output.Size);
        AssertSamePhysicalPositions(input, output);

        // Output (0,0,0) is the most left, posterior, inferior voxel: source (2, 3, 0).
        Assert.Equal(input[2, 3, 0], output[0, 0, 0]);
    }

    [Fact]
    public void Permuted_grid_gets_its_axes_reordered_to_ras()
    {
        // i runs Superior, j Left, k Anterior.
        var direction = new Direction3D(new(0, 0, 1), new(1, 0, 0), new(0, -1, 0));
        var input = TestVolumes.Indexed(new GridSize(3, 4, 5), direction);

        var output = RasReorientation.Apply(input);

        Assert.Equal(new AxisMapping(SourceOfI: 1, SourceOfJ: 2, SourceOfK: 0, FlipI: true, FlipJ: false, FlipK: false), RasReorientation.Plan(direction));
        AssertDirection(output.Geometry.Direction, Right, Anterior, Superior);
        Assert.Equal(new GridSize(4, 5, 3), output.Size);
        Assert.Equal(new Vector3D(1.1, 2.5, 0.7), output.Geometry.Spacing);
        AssertSamePhysicalPositions(input, output);
    }

    [Fact]
    public void Oblique_permuted_grid_ends_with_the_closest_ras_axes()
    {
        // The permuted grid above, tilted 20° about an off-axis direction: no axis is exactly R, A or S any more.
        var tilt = Rotation(new Vector3D(1, 2, 3).Normalized(), 20 * Math.PI / 180);
        var direction = new Direction3D(tilt(new(0, 0, 1)), tilt(new(1, 0, 0)), tilt(new(0, -1, 0)));
        var input = TestVolumes.Indexed(new GridSize(3, 4, 5), direction);

        var output = RasReorientation.Apply(input);

        var axes = output.Geometry.Direction;
        Assert.True(axes.IAxis.Dot(Right) > 0.9, $"i is {axes.IAxis}");
        Assert.True(axes.JAxis.Dot(Anterior) > 0.9, $"j is {axes.JAxis}");
        Assert.True(axes.KAxis.Dot(Superior) > 0.9, $"k is {axes.KAxis}");
        AssertSamePhysicalPositions(input, output);
    }

    [Fact]
    public void Phantom_is_mirrored_left_right_and_front_back_by_preparation()
    {
        var phantom = PhantomGenerator.Generate(seed: 3, size: 32).Image;

        var prepared = CtPreprocessor.Prepare(phantom, cropSize: 32);

        var expected = Math.Clamp((phantom[31 - 5, 31 - 7, 11] + 1000f) / 2000f, 0f, 1f);
        Assert.Equal(expected, prepared.Voxels[5 + (32 * (7 + (32 * 11)))], 6);
    }

    [Fact]
    public void Label_map_is_reoriented_like_its_image()
    {
        var phantom = PhantomGenerator.Generate(seed: 4, size: 32);

        var image = RasReorientation.Apply(phantom.Image);
        var labels = RasReorientation.Apply(phantom.Labels);

        Assert.True(image.Geometry.IsSameGrid(labels.Geometry));
        Assert.Equal(phantom.Labels[31, 31, 0], labels[0, 0, 0]);
    }

    private static void AssertSamePhysicalPositions(Volume input, Volume output)
    {
        // Voxel values are source linear indices, so each output voxel names the voxel it came from.
        for (var k = 0; k < output.Size.K; k++)
        {
            for (var j = 0; j < output.Size.J; j++)
            {
                for (var i = 0; i < output.Size.I; i++)
                {
                    var source = (long)output[i, j, k];
                    var si = (int)(source % input.Size.I);
                    var sj = (int)(source / input.Size.I % input.Size.J);
                    var sk = (int)(source / ((long)input.Size.I * input.Size.J));
                    var distance = (output.Geometry.IndexToPhysical(i, j, k) - input.Geometry.IndexToPhysical(si, sj, sk)).Length;
                    Assert.True(distance < 1e-9, $"output ({i},{j},{k}) lies {distance} mm from its source ({si},{sj},{sk})");
                }
            }
        }

        Assert.Equal(input.Voxels.Order(), output.Voxels.Order());
    }

    private static void AssertDirection(Direction3D actual, Vector3D i, Vector3D j, Vector3D k)
    {
        Assert.True((actual.IAxis - i).Length < 1e-12, $"i is {actual.IAxis}");
        Assert.True((actual.JAxis - j).Length < 1e-12, $"j is {actual.JAxis}");
        Assert.True((actual.KAxis - k).Length < 1e-12, $"k is {actual.KAxis}");
    }

    // Rodrigues' rotation about a unit axis.
    private static Func<Vector3D, Vector3D> Rotation(Vector3D axis, double angle) =>
        v => (v * Math.Cos(angle)) + (axis.Cross(v) * Math.Sin(angle)) + (axis * (axis.Dot(v) * (1 - Math.Cos(angle))));
}
