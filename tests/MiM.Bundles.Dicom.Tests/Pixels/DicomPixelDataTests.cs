using MiM.Bundles.Dicom.Codecs;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Pixels;
using MiM.Bundles.Dicom.Tests.Peers;
using MiM.Bundles.Dicom.Tests.Series;

namespace MiM.Bundles.Dicom.Tests.Pixels;

/// <summary>Frames of native and encapsulated files; unsupported syntaxes named; stored-value bit handling.</summary>
public class DicomPixelDataTests
{
    [Theory]
    [InlineData("dcmcrle")]
    [InlineData("dcmcjpeg", "+e1")]
    [InlineData("dcmcjpeg", "+el")]
    public void Compressed_ct_small_decodes_to_the_native_stored_values(string tool, params string[] options)
    {
        using var folder = new TemporaryFolder();
        var native = PeerTools.PydicomFile("CT_small.dcm");
        var compressed = folder.File("c.dcm");
        Tool.Run(tool, [.. options, native, compressed]);

        var expected = DicomPixelData.Create(DicomFile.Open(native));
        var file = DicomFile.Open(compressed);
        Assert.True(file.TransferSyntax.IsEncapsulated);
        var actual = DicomPixelData.Create(file);

        Assert.Equal(expected.GetFrameBytes(0), actual.GetFrameBytes(0));
        var values = actual.GetStoredValues(0);
        Assert.Equal(128 * 128, values.Length);
        Assert.Equal(175, values[0]); // pydicom: pixel_array[0, 0] = 175 (-849 HU with intercept -1024)
    }

    [Fact]
    public void An_unsupported_syntax_is_a_dicom_exception_naming_it()
    {
        var path = PeerTools.PydicomFile("JPEG2000.dcm");
        var pixels = DicomPixelData.Create(DicomFile.Open(path));

        var e = Assert.Throws<DicomException>(() => pixels.GetFrameBytes(0));

        Assert.Contains("JPEG 2000", e.Message, StringComparison.Ordinal);
        Assert.Contains("1.2.840.10008.1.2.4.9", e.Message, StringComparison.Ordinal);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void A_header_only_file_has_no_frames_to_give()
    {
        var path = PeerTools.PydicomFile("CT_small.dcm");
        var pixels = DicomPixelData.Create(DicomFile.Open(path, new DicomReadOptions { PixelData = PixelDataReading.StopBefore }));

        var e = Assert.Throws<DicomException>(() => pixels.GetFrameBytes(0));
        Assert.Contains("no pixel data", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stored_values_keep_bits_stored_and_sign_extend()
    {
        var signed12 = new PixelFormat(1, 3, 1, 16, 12, Signed: true, PlanarConfiguration: false);
        byte[] bytes = [0xFF, 0xFF, 0x00, 0x08, 0xFF, 0x07]; // 0xFFFF (overlay bits set) → -1, 0x0800 → -2048, 0x07FF → 2047
        Assert.Equal([-1, -2048, 2047], StoredValues.Convert(bytes, signed12));

        var unsigned16 = signed12 with { BitsStored = 16, Signed = false };
        Assert.Equal([65535, 2048, 2047], StoredValues.Convert(bytes, unsigned16));
    }
}
