using System.Buffers.Binary;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Nifti;

namespace MiM.Bundles.Imaging.Tests.Nifti;

/// <summary>Every unreadable file fails with a <see cref="NiftiFormatException"/> naming the file and the problem.</summary>
public sealed class NiftiBadFileTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Truncated_header_error_names_the_file_and_the_header_size()
    {
        var path = WriteValid("short.nii");
        Truncate(path, 200);

        AssertRefused(path, "truncated header: 200 bytes", "348");
    }

    [Fact]
    public void Truncated_data_error_names_the_file_and_the_missing_bytes()
    {
        var path = WriteValid("cut.nii");
        Truncate(path, 352 + 10);

        AssertRefused(path, "truncated data", $"{12 - 10} bytes are missing");
    }

    [Fact]
    public void Truncated_data_inside_a_gzip_stream_is_reported_as_truncation()
    {
        var plain = WriteValid("cut.nii");
        Truncate(plain, 352 + 5);
        var path = folder.File("cut.nii.gz");
        using (var output = File.Create(path))
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(File.ReadAllBytes(plain));
        }

        AssertRefused(path, "truncated data", "7 bytes are missing");
    }

    [Theory]
    [InlineData("ni2")]
    [InlineData("n+2")]
    [InlineData("")]
    public void Wrong_magic_is_refused_naming_the_magic_found(string magic)
    {
        var header = NiftiHeaderInterpretationTests.BaseHeader();
        header.Magic = magic;

        AssertRefused(Write(header), $"wrong magic \"{magic}\"");
    }

    [Fact]
    public void A_header_of_a_hdr_img_pair_is_refused_as_unsupported()
    {
        var header = NiftiHeaderInterpretationTests.BaseHeader();
        header.Magic = "ni1";

        AssertRefused(Write(header), ".hdr/.img", "only single-file");
    }

    [Theory]
    [InlineData(128, "RGB24 (128)")]
    [InlineData(256, "INT8 (256)")]
    [InlineData(32, "COMPLEX64 (32)")]
    [InlineData(999, "unknown datatype code 999")]
    public void Unsupported_datatype_is_refused_naming_the_type_and_its_code(short code, string expected)
    {
        var header = NiftiHeaderInterpretationTests.BaseHeader();
        header.DataTypeCode = code;

        AssertRefused(Write(header), "unsupported datatype " + expected);
    }

    [Theory]
    [InlineData(new short[] { 3, 3, 0, 2, 1, 1, 1, 1 }, "dim[2] is 0")]
    [InlineData(new short[] { 3, 3, 2, -2, 1, 1, 1, 1 }, "dim[3] is -2")]
    [InlineData(new short[] { 0, 3, 2, 2, 1, 1, 1, 1 }, "dim[0] is 0")]
    [InlineData(new short[] { 8, 3, 2, 2, 1, 1, 1, 1 }, "dim[0] is 8")]
    [InlineData(new short[] { -3, 3, 2, 2, 1, 1, 1, 1 }, "dim[0] is -3")]
    public void Inconsistent_dimensions_are_refused_naming_the_bad_dim(short[] dim, string expected)
    {
        var header = NiftiHeaderInterpretationTests.BaseHeader();
        header.Dim = dim;

        AssertRefused(Write(header), expected);
    }

    [Theory]
    [InlineData(new short[] { 4, 3, 2, 2, 5, 1, 1, 1 }, 5)]
    [InlineData(new short[] { 5, 3, 2, 2, 2, 3, 1, 1 }, 6)]
    public void Four_dimensional_files_with_several_volumes_are_refused_with_the_volume_count(short[] dim, int volumes)
    {
        var header = NiftiHeaderInterpretationTests.BaseHeader();
        header.Dim = dim;

        AssertRefused(Write(header, new byte[12 * volumes]), $"4-D NIfTI with {volumes} volumes is not supported; split it first");
    }

    [Theory]
    [InlineData(1, 0f)]
    [InlineData(2, -1.5f)]
    [InlineData(3, float.NaN)]
    public void Zero_or_negative_pixdim_is_refused_when_the_qform_uses_it(int axis, float spacing)
    {
        var header = NiftiHeaderInterpretationTests.BaseHeader();
        header.QformCode = 1;
        header.PixDim[axis] = spacing;

        AssertRefused(Write(header), $"invalid spacing: pixdim[{axis}] is {spacing}");
    }

    [Fact]
    public void Zero_or_negative_pixdim_is_refused_without_any_transform()
    {
        var header = NiftiHeaderInterpretationTests.BaseHeader();
        header.PixDim[1] = -1;

        AssertRefused(Write(header), "invalid spacing: pixdim[1] is -1");
    }

    [Fact]
    public void An_sform_with_a_zero_column_is_refused_as_zero_spacing()
    {
        var header = NiftiHeaderInterpretationTests.BaseHeader();
        header.SformCode = 1;
        header.SRowX = [1, 0, 0, 0];
        header.SRowY = [0, 0, 0, 0];
        header.SRowZ = [0, 0, 1, 0];

        AssertRefused(Write(header), "invalid spacing", "axis 1 a length of 0");
    }

    [Fact]
    public void A_sheared_sform_without_a_qform_is_refused()
    {
        var header = NiftiHeaderInterpretationTests.BaseHeader();
        header.SformCode = 1;
        header.SRowX = [1, 0.2f, 0, 0];
        header.SRowY = [0, 1, 0, 0];
        header.SRowZ = [0, 0, 1, 0];

        AssertRefused(Write(header), "sheared axes", "no qform");
    }

    [Theory]
    [InlineData(348f)]
    [InlineData(0f)]
    [InlineData(352.5f)]
    public void A_vox_offset_below_352_or_fractional_is_refused(float voxOffset)
    {
        var header = NiftiHeaderInterpretationTests.BaseHeader();
        header.VoxOffset = voxOffset;

        AssertRefused(Write(header), $"vox_offset {voxOffset} is invalid");
    }

    [Fact]
    public void A_wrong_header_size_field_is_refused_as_not_nifti_1()
    {
        var path = WriteValid("size.nii");
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt32LittleEndian(bytes, 540);
        File.WriteAllBytes(path, bytes);

        AssertRefused(path, "sizeof_hdr is 540", "NIfTI-2");
    }

    [Fact]
    public void A_missing_file_is_reported_as_file_not_found()
    {
        var path = folder.File("absent.nii.gz");

        var error = Assert.Throws<FileNotFoundException>(() => NiftiReader.ReadVolume(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_gzip_stream_is_refused_as_corrupt_gzip()
    {
        var path = folder.File("corrupt.nii.gz");
        var geometry = TestGrids.Geometry("oblique");
        NiftiWriter.Write(path, new Volume(geometry, TestGrids.Pattern(NiftiDataType.Float32, geometry.Size.VoxelCount)));
        var bytes = File.ReadAllBytes(path);
        for (var n = 12; n < bytes.Length - 8; n += 3)
        {
            bytes[n] ^= 0x5a; // scrambles the deflate blocks but keeps the gzip magic
        }

        File.WriteAllBytes(path, bytes);

        AssertRefused(path, "corrupt gzip stream");
    }

    [Fact]
    public void A_gzip_file_cut_short_is_refused_as_truncated()
    {
        var path = folder.File("cut.nii.gz");
        var geometry = TestGrids.Geometry("oblique");
        NiftiWriter.Write(path, new Volume(geometry, TestGrids.Pattern(NiftiDataType.Float32, geometry.Size.VoxelCount)));
        Truncate(path, (int)new FileInfo(path).Length / 2);

        AssertRefused(path, "truncated data");
    }

    private static void AssertRefused(string path, params string[] expectedParts)
    {
        var error = Assert.Throws<NiftiFormatException>(() => NiftiReader.ReadVolume(path));
        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        foreach (var part in expectedParts)
        {
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
        }
    }

    private static void Truncate(string path, int length)
    {
        using var file = File.OpenWrite(path);
        file.SetLength(length);
    }

    private string WriteValid(string name)
    {
        var path = folder.File(name);
        NiftiWriter.WriteFile(path, NiftiHeaderInterpretationTests.BaseHeader(), new byte[12]);
        return path;
    }

    private string Write(NiftiHeader header, byte[]? data = null)
    {
        var path = folder.File("bad.nii");
        NiftiWriter.WriteFile(path, header, data ?? new byte[12]);
        return path;
    }
}
