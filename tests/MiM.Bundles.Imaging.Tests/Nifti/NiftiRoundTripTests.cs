using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Nifti;

namespace MiM.Bundles.Imaging.Tests.Nifti;

public class NiftiRoundTripTests
{
    // The header stores geometry as float32: ~1e-5 relative, so a few micrometres at 100-200 mm.
    private const double GeometryToleranceMm = 1e-5;

    public static TheoryData<string, NiftiDataType, string> Cases()
    {
        var cases = new TheoryData<string, NiftiDataType, string>();
        foreach (var orientation in TestGrids.Orientations)
        {
            foreach (var type in TestGrids.DataTypes)
            {
                cases.Add(orientation, type, ".nii");
                cases.Add(orientation, type, ".nii.gz");
            }
        }

        return cases;
    }

    public static TheoryData<string> OrientationCases() => new(TestGrids.Orientations);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Volume_written_and_read_back_has_identical_voxels_and_the_same_grid(string orientation, NiftiDataType type, string extension)
    {
        using var folder = new TemporaryFolder();
        var geometry = TestGrids.Geometry(orientation);
        var volume = new Volume(geometry, TestGrids.Pattern(type, geometry.Size.VoxelCount));
        var path = folder.File("volume" + extension);

        NiftiWriter.Write(path, volume, type);
        var read = NiftiReader.ReadVolume(path);

        Assert.Equal(volume.Voxels, read.Voxels);
        AssertSameGrid(geometry, read.Geometry);
        Assert.Equal((short)type, NiftiReader.ReadHeader(path).DataTypeCode);
    }

    [Theory]
    [MemberData(nameof(OrientationCases))]
    public void A_qform_only_file_reads_to_the_same_geometry_as_the_sform(string orientation)
    {
        using var folder = new TemporaryFolder();
        var geometry = TestGrids.Geometry(orientation);
        var header = NiftiWriter.CreateHeader(geometry, NiftiDataType.UInt8, bigEndian: false);
        header.SformCode = 0;
        header.SRowX = header.SRowY = header.SRowZ = new float[4]; // nothing left to read but the quaternion
        var path = folder.File("qform.nii");
        NiftiWriter.WriteFile(path, header, new byte[geometry.Size.VoxelCount]);

        AssertSameGrid(geometry, NiftiReader.ReadVolume(path).Geometry);
    }

    [Theory]
    [InlineData("identity-lps", 1f)]
    [InlineData("oblique", 1f)]
    [InlineData("flip-i", -1f)]
    [InlineData("mirrored-oblique", -1f)]
    public void Mirrored_grids_are_written_with_qfac_minus_one(string orientation, float expectedQfac)
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("q.nii");
        NiftiWriter.Write(path, Volume.Zeros(TestGrids.Geometry(orientation)));

        Assert.Equal(expectedQfac, NiftiReader.ReadHeader(path).PixDim[0]);
    }

    [Theory]
    [MemberData(nameof(OrientationCases))]
    public void Big_endian_files_read_the_same_as_little_endian_ones(string orientation)
    {
        using var folder = new TemporaryFolder();
        var geometry = TestGrids.Geometry(orientation);
        var volume = new Volume(geometry, TestGrids.Pattern(NiftiDataType.Int16, geometry.Size.VoxelCount));
        var path = folder.File("big.nii");

        NiftiWriter.Write(path, volume, NiftiDataType.Int16, bigEndian: true);

        Assert.Equal([0, 0, 1, 0x5c], File.ReadAllBytes(path)[..4]); // sizeof_hdr 348, big-endian
        var read = NiftiReader.ReadVolume(path);
        Assert.Equal(volume.Voxels, read.Voxels);
        AssertSameGrid(geometry, read.Geometry);
    }

    [Theory]
    [InlineData(new ushort[] { 0, 1, 255, 7 }, NiftiDataType.UInt8)]
    [InlineData(new ushort[] { 0, 1, 256, 65535 }, NiftiDataType.UInt16)]
    public void Label_maps_round_trip_as_the_smallest_unsigned_type_that_holds_them(ushort[] values, NiftiDataType expectedType)
    {
        using var folder = new TemporaryFolder();
        var geometry = TestGrids.Geometry("oblique");
        var labels = new ushort[geometry.Size.VoxelCount];
        for (var n = 0; n < labels.Length; n++)
        {
            labels[n] = values[n % values.Length];
        }

        var path = folder.File("labels.nii.gz");
        NiftiWriter.Write(path, new LabelMap(geometry, labels));
        var read = NiftiReader.ReadLabelMap(path);

        Assert.Equal(labels, read.Voxels);
        AssertSameGrid(geometry, read.Geometry);
        Assert.Equal((short)expectedType, NiftiReader.ReadHeader(path).DataTypeCode);
    }

    [Fact]
    public void Written_header_declares_scanner_sform_and_qform_millimetres_and_no_extensions()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("h.nii");
        NiftiWriter.Write(path, Volume.Zeros(TestGrids.Geometry("oblique")));

        var header = NiftiReader.ReadHeader(path);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal((1, 1), (header.SformCode, header.QformCode));
        Assert.Equal(2, header.XyztUnits);
        Assert.Equal("n+1", header.Magic);
        Assert.Equal(352f, header.VoxOffset);
        Assert.Equal("MiM.Bundles", header.Description);
        Assert.Equal([3, 7, 5, 4, 1, 1, 1, 1], header.Dim);
        Assert.Equal([0.7f, 0.9f, 2.5f], header.PixDim[1..4]);
        Assert.Equal(new byte[4], bytes[348..352]);
        Assert.Equal(352 + (7 * 5 * 4 * 4), bytes.Length);
    }

    [Fact]
    public void Float_voxels_written_as_integers_are_rounded_half_away_from_zero()
    {
        using var folder = new TemporaryFolder();
        var geometry = new VolumeGeometry(new GridSize(4, 1, 1), default, new Vector3D(1, 1, 1), Direction3D.Identity);
        var path = folder.File("r.nii");

        NiftiWriter.Write(path, new Volume(geometry, [2.5f, -2.5f, 0.49f, -7.6f]), NiftiDataType.Int16);

        Assert.Equal([3f, -3f, 0f, -8f], NiftiReader.ReadVolume(path).Voxels);
    }

    [Theory]
    [InlineData(NiftiDataType.UInt8, -1f)]
    [InlineData(NiftiDataType.UInt8, 255.5f)]
    [InlineData(NiftiDataType.Int16, 32768f)]
    [InlineData(NiftiDataType.UInt16, float.NaN)]
    [InlineData(NiftiDataType.Int32, 3e9f)]
    public void A_value_that_does_not_fit_the_type_is_refused_and_no_file_is_left(NiftiDataType type, float value)
    {
        using var folder = new TemporaryFolder();
        var geometry = new VolumeGeometry(new GridSize(2, 1, 1), default, new Vector3D(1, 1, 1), Direction3D.Identity);
        var path = folder.File("bad.nii");

        var error = Assert.Throws<ArgumentException>(() => NiftiWriter.Write(path, new Volume(geometry, [0f, value]), type));

        Assert.Contains(type.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void A_volume_of_several_write_chunks_round_trips_and_a_bad_voxel_in_its_last_chunk_leaves_no_file()
    {
        using var folder = new TemporaryFolder();
        var geometry = new VolumeGeometry(new GridSize(100, 100, 70), default, new Vector3D(1, 1, 2), Direction3D.Identity);
        var voxels = new float[geometry.Size.VoxelCount];
        for (var i = 0; i < voxels.Length; i++)
        {
            voxels[i] = (i % 2001) - 1000; // 2.8 MB as float32, 1.4 MB as int16: several 1 MiB chunks either way
        }

        foreach (var (type, name) in new[] { (NiftiDataType.Float32, "f.nii.gz"), (NiftiDataType.Int16, "s.nii") })
        {
            NiftiWriter.Write(folder.File(name), new Volume(geometry, voxels), type);
            Assert.Equal(voxels, NiftiReader.ReadVolume(folder.File(name)).Voxels);
        }

        voxels[^1] = 40000;
        Assert.Throws<ArgumentException>(() => NiftiWriter.Write(folder.File("bad.nii"), new Volume(geometry, voxels), NiftiDataType.Int16));
        Assert.Equal([folder.File("f.nii.gz"), folder.File("s.nii")], Directory.GetFileSystemEntries(folder.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Writing_replaces_an_existing_file_and_leaves_no_temporary_file()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("v.nii.gz");
        var geometry = TestGrids.Geometry("identity-lps");
        NiftiWriter.Write(path, Volume.Zeros(geometry));
        var second = new Volume(geometry, TestGrids.Pattern(NiftiDataType.Float32, geometry.Size.VoxelCount));

        NiftiWriter.Write(path, second);

        Assert.Equal([path], Directory.GetFileSystemEntries(folder.Path));
        Assert.Equal(second.Voxels, NiftiReader.ReadVolume(path).Voxels);
    }

    [Fact]
    public void Gzip_is_recognised_by_content_whatever_the_extension()
    {
        using var folder = new TemporaryFolder();
        var geometry = TestGrids.Geometry("flip-i-and-j");
        var volume = new Volume(geometry, TestGrids.Pattern(NiftiDataType.Float32, geometry.Size.VoxelCount));
        var compressed = folder.File("v.nii.gz");
        NiftiWriter.Write(compressed, volume);
        var misnamed = folder.File("v.nii");
        File.Move(compressed, misnamed);

        Assert.Equal(0x1f, File.ReadAllBytes(misnamed)[0]);
        Assert.Equal(volume.Voxels, NiftiReader.ReadVolume(misnamed).Voxels);
    }

    internal static void AssertSameGrid(VolumeGeometry expected, VolumeGeometry actual)
    {
        Assert.True(
            expected.IsSameGrid(actual, GeometryToleranceMm),
            $"Expected {expected}\n but read {actual}");
    }
}
