using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Tests.Contracts;

public class VolumeGeometryTests
{
    private static readonly Direction3D Oblique = new(
        new Vector3D(Math.Cos(0.3), Math.Sin(0.3), 0),
        new Vector3D(-Math.Sin(0.3), Math.Cos(0.3), 0),
        new Vector3D(0, 0, 1));

    [Fact]
    public void Index_to_physical_and_back_is_the_identity_on_an_oblique_grid()
    {
        var geometry = new VolumeGeometry(new GridSize(10, 20, 30), new Vector3D(-100, 50, 7), new Vector3D(0.7, 0.8, 2.5), Oblique);
        var point = geometry.IndexToPhysical(3, 4.5, 29);
        var back = geometry.PhysicalToIndex(point);
        Assert.Equal(3, back.X, 9);
        Assert.Equal(4.5, back.Y, 9);
        Assert.Equal(29, back.Z, 9);
    }

    [Fact]
    public void Index_steps_move_along_the_direction_cosines_by_the_spacing()
    {
        var geometry = new VolumeGeometry(new GridSize(2, 2, 2), new Vector3D(1, 2, 3), new Vector3D(0.5, 1, 2), Oblique);
        var step = geometry.IndexToPhysical(0, 1, 0) - geometry.Origin;
        Assert.Equal(1.0, step.Length, 12);
        Assert.True((Oblique.JAxis - step).Length < 1e-12);
    }

    [Fact]
    public void A_voxel_buffer_of_the_wrong_length_is_refused_with_both_counts()
    {
        var geometry = new VolumeGeometry(new GridSize(2, 3, 4), default, new Vector3D(1, 1, 1), Direction3D.Identity);
        var error = Assert.Throws<ArgumentException>(() => new Volume(geometry, new float[23]));
        Assert.Contains("23", error.Message, StringComparison.Ordinal);
        Assert.Contains("24", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_orthonormal_directions_are_refused()
    {
        var skew = new Direction3D(new Vector3D(1, 0, 0), new Vector3D(0.5, 0.5, 0), new Vector3D(0, 0, 1));
        var geometry = new VolumeGeometry(new GridSize(1, 1, 1), default, new Vector3D(1, 1, 1), skew);
        Assert.Throws<ArgumentException>(geometry.Validate);
    }

    [Fact]
    public void Grids_that_differ_by_a_flipped_axis_are_not_the_same_grid()
    {
        var a = new VolumeGeometry(new GridSize(4, 4, 4), default, new Vector3D(1, 1, 1), Direction3D.Identity);
        var flipped = a with { Direction = new Direction3D(new(-1, 0, 0), new(0, 1, 0), new(0, 0, 1)) };
        Assert.True(a.IsSameGrid(a with { }));
        Assert.False(a.IsSameGrid(flipped));
    }

    [Fact]
    public void Label_counts_include_every_value_present()
    {
        var geometry = new VolumeGeometry(new GridSize(2, 2, 1), default, new Vector3D(1, 1, 1), Direction3D.Identity);
        var labels = new LabelMap(geometry, [0, 3, 3, 7]);
        var counts = labels.CountVoxels();
        Assert.Equal(1, counts[0]);
        Assert.Equal(2, counts[3]);
        Assert.Equal(1, counts[7]);
    }
}
