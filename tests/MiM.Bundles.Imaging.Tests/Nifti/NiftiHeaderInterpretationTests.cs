using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Nifti;

namespace MiM.Bundles.Imaging.Tests.Nifti;

/// <summary>Hand-made headers with geometry and scaling worked out by hand, independent of the writer's encoding.</summary>
public class NiftiHeaderInterpretationTests
{
    private static readonly GridSize Size = new(3, 2, 2);

    [Theory]
    [InlineData(1f, 1.0)]
    [InlineData(0f, 1.0)] // qfac 0 is read as 1
    [InlineData(-1f, -1.0)]
    public void A_qform_of_90_degrees_about_z_gives_the_expected_lps_axes(float qfac, double kSign)
    {
        using var folder = new TemporaryFolder();
        var header = BaseHeader();
        header.QformCode = 1;
        header.QuaternD = (float)Math.Sin(Math.PI / 4); // a = cos 45°, b = c = 0: RAS i → +y (anterior), j → -x (right)
        header.QOffsetX = 10;
        header.QOffsetY = 20;
        header.QOffsetZ = 30;
        header.PixDim = [qfac, 2, 3, 4, 0, 0, 0, 0];

        var geometry = Read(folder, header).Geometry;

        Assert.Equal(new Vector3D(-10, -20, 30), geometry.Origin);
        AssertVector(new Vector3D(2, 3, 4), geometry.Spacing);
        AssertVector(new Vector3D(0, -1, 0), geometry.Direction.IAxis); // anterior is -y in LPS
        AssertVector(new Vector3D(1, 0, 0), geometry.Direction.JAxis); // right is -x in LPS
        AssertVector(new Vector3D(0, 0, kSign), geometry.Direction.KAxis);
    }

    [Fact]
    public void An_sform_is_negated_in_x_and_y_and_split_into_spacing_and_unit_axes()
    {
        using var folder = new TemporaryFolder();
        var header = BaseHeader();
        header.SformCode = 2;
        header.SRowX = [0, 0, -3, 5];
        header.SRowY = [2, 0, 0, -6];
        header.SRowZ = [0, 1.5f, 0, 7];

        var geometry = Read(folder, header).Geometry;

        Assert.Equal(new Vector3D(-5, 6, 7), geometry.Origin);
        Assert.Equal(new Vector3D(2, 1.5, 3), geometry.Spacing);
        Assert.Equal(new Vector3D(0, -1, 0), geometry.Direction.IAxis);
        Assert.Equal(new Vector3D(0, 0, 1), geometry.Direction.JAxis);
        Assert.Equal(new Vector3D(1, 0, 0), geometry.Direction.KAxis);
    }

    [Fact]
    public void The_sform_wins_over_the_qform_when_both_are_set()
    {
        using var folder = new TemporaryFolder();
        var header = BaseHeader();
        header.SformCode = 1;
        header.SRowX = [1, 0, 0, 1];
        header.SRowY = [0, 1, 0, 2];
        header.SRowZ = [0, 0, 1, 3];
        header.QformCode = 1;
        header.QOffsetX = 100;

        Assert.Equal(new Vector3D(-1, -2, 3), Read(folder, header).Geometry.Origin);
    }

    [Fact]
    public void A_sheared_sform_falls_back_to_the_qform()
    {
        using var folder = new TemporaryFolder();
        var header = BaseHeader();
        header.SformCode = 1;
        header.SRowX = [1, 0.3f, 0, 0];
        header.SRowY = [0, 1, 0, 0];
        header.SRowZ = [0, 0, 1, 0];
        header.QformCode = 1;
        header.QOffsetX = 8;

        var geometry = Read(folder, header).Geometry;

        // The identity quaternion is RAS-aligned: -x and -y in LPS. The sform's shear is gone.
        Assert.Equal(new Vector3D(-8, 0, 0), geometry.Origin);
        Assert.Equal(new Vector3D(-1, 0, 0), geometry.Direction.IAxis);
        Assert.Equal(new Vector3D(0, -1, 0), geometry.Direction.JAxis);
    }

    [Fact]
    public void Without_sform_or_qform_the_spacing_comes_from_pixdim_at_origin_zero_in_ras()
    {
        using var folder = new TemporaryFolder();
        var header = BaseHeader();
        header.PixDim = [0, 0.5f, 0.75f, 3, 0, 0, 0, 0];

        var geometry = Read(folder, header).Geometry;

        Assert.Equal(default, geometry.Origin);
        Assert.Equal(new Vector3D(0.5, 0.75, 3), geometry.Spacing);
        Assert.Equal(new Direction3D(new(-1, 0, 0), new(0, -1, 0), new(0, 0, 1)), geometry.Direction);
    }

    [Fact]
    public void A_two_dimensional_image_reads_as_a_single_slice()
    {
        using var folder = new TemporaryFolder();
        var header = BaseHeader();
        header.Dim = [2, 3, 2, 9, 9, 1, 1, 1]; // dim[3..] beyond dim[0] are unused, whatever they hold

        var volume = Read(folder, header, data: [1, 2, 3, 4, 5, 6]);

        Assert.Equal(new GridSize(3, 2, 1), volume.Size);
        Assert.Equal([1f, 2, 3, 4, 5, 6], volume.Voxels);
    }

    [Fact]
    public void Trailing_dimensions_of_one_read_as_a_three_dimensional_volume()
    {
        using var folder = new TemporaryFolder();
        var header = BaseHeader();
        header.Dim = [5, 3, 2, 2, 1, 1, 0, 0];

        Assert.Equal(Size, Read(folder, header).Size);
    }

    [Fact]
    public void Slope_and_intercept_are_applied_to_stored_values()
    {
        using var folder = new TemporaryFolder();
        var header = BaseHeader();
        header.SclSlope = 0.5f;
        header.SclInter = -100;

        var volume = Read(folder, header, data: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);

        Assert.Equal([-100f, -99.5f, -99, -98.5f, -98, -97.5f, -97, -96.5f, -96, -95.5f, -95, 27.5f], volume.Voxels);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(float.NaN)]
    public void A_zero_or_nan_slope_means_no_scaling_even_with_an_intercept(float slope)
    {
        using var folder = new TemporaryFolder();
        var header = BaseHeader();
        header.SclSlope = slope;
        header.SclInter = -1024;

        Assert.Equal(7f, Read(folder, header, data: [7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).Voxels[0]);
    }

    [Fact]
    public void Label_maps_are_read_after_scaling()
    {
        using var folder = new TemporaryFolder();
        var header = BaseHeader();
        header.SclSlope = 2;
        header.SclInter = 1;
        var path = folder.File("labels.nii");
        NiftiWriter.WriteFile(path, header, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

        Assert.Equal([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23], NiftiReader.ReadLabelMap(path).Voxels);
    }

    [Theory]
    [InlineData(0.5f, 0f, "(1, 0, 0) holds 0.5")]
    [InlineData(1f, -1f, "(0, 0, 0) holds -1")]
    [InlineData(1000f, 0f, "(2, 1, 1) holds 100000")]
    public void Label_maps_with_values_that_are_not_labels_are_refused_naming_the_voxel(float slope, float intercept, string expected)
    {
        using var folder = new TemporaryFolder();
        var header = BaseHeader();
        header.SclSlope = slope;
        header.SclInter = intercept;
        var path = folder.File("labels.nii");
        NiftiWriter.WriteFile(path, header, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]);

        var error = Assert.Throws<NiftiFormatException>(() => NiftiReader.ReadLabelMap(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A 3x2x2 uint8 header with no orientation and unit spacing.</summary>
    internal static NiftiHeader BaseHeader() => new()
    {
        Dim = [3, 3, 2, 2, 1, 1, 1, 1],
        DataTypeCode = (short)NiftiDataType.UInt8,
        BitPix = 8,
        PixDim = [1, 1, 1, 1, 0, 0, 0, 0],
        VoxOffset = 352,
        Magic = "n+1",
    };

    private static Volume Read(TemporaryFolder folder, NiftiHeader header, byte[]? data = null)
    {
        var path = folder.File("hand-made.nii");
        NiftiWriter.WriteFile(path, header, data ?? new byte[Size.VoxelCount]);
        return NiftiReader.ReadVolume(path);
    }

    private static void AssertVector(Vector3D expected, Vector3D actual) =>
        Assert.True((expected - actual).Length < 1e-6, $"Expected {expected} but was {actual}");
}
