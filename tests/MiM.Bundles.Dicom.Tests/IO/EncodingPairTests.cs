using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Tests.Peers;
using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Dicom.Tests.IO;

/// <summary>pydicom ships the same object in several encodings: all must give the same elements.</summary>
public sealed class EncodingPairTests
{
    [Theory]
    [InlineData("MR_small.dcm", "MR_small_bigendian.dcm", "Explicit VR Big Endian")]
    [InlineData("MR_small.dcm", "MR_small_expb.dcm", "Explicit VR Big Endian")]
    [InlineData("MR_small.dcm", "MR_small_implicit.dcm", "Implicit VR Little Endian")]
    [InlineData("rtdose.dcm", "rtdose_expb.dcm", "Explicit VR Big Endian")]
    [InlineData("rtdose_1frame.dcm", "rtdose_expb_1frame.dcm", "Explicit VR Big Endian")]
    [InlineData("liver_1frame.dcm", "liver_expb_1frame.dcm", "Explicit VR Big Endian")]
    [InlineData("ExplVR_LitEndNoMeta.dcm", "ExplVR_BigEndNoMeta.dcm", "Explicit VR Big Endian")]
    public void Same_object_in_another_encoding_gives_the_same_values(string reference, string other, string syntax)
    {
        var a = DicomFile.Open(PeerTools.PydicomFile(reference));
        var b = DicomFile.Open(PeerTools.PydicomFile(other));
        Assert.Equal(syntax, b.TransferSyntax.Name);
        Assert.Equal(a.Dataset.GetUid(DicomTag.SopInstanceUid), b.Dataset.GetUid(DicomTag.SopInstanceUid));
        Assert.Equal(a.Dataset.GetInt32(DicomTag.Rows), b.Dataset.GetInt32(DicomTag.Rows));
        Assert.Equal(a.Dataset.GetString(DicomTag.PatientName), b.Dataset.GetString(DicomTag.PatientName));
        // Trailing padding (FFFC,FFFC) is not part of the object and only some encodings carry it.
        foreach (var element in a.Dataset.Where(e => e.Tag.Group is not (0x0002 or 0xFFFC) && !e.Tag.IsGroupLength))
        {
            Assert.True(b.Dataset.Contains(element.Tag), $"{other} lacks {element.Tag}");
            Assert.Equal(a.Dataset.GetStrings(element.Tag), b.Dataset.GetStrings(element.Tag));
        }

        var pixels = (DicomValueElement?)a.Dataset[DicomTag.PixelData];
        if (pixels is not null && pixels.Vr == DicomVr.OW)
        {
            Assert.Equal(pixels.Buffer.GetBytes(), ((DicomValueElement)b.Dataset[DicomTag.PixelData]!).Buffer.GetBytes());
        }
    }

    [Fact]
    public void Deflated_file_reads_like_dcm2json()
    {
        var file = DicomFile.Open(PeerTools.PydicomFile("image_dfl.dcm"));
        Assert.True(file.TransferSyntax.IsDeflated);
        var (exit, stdout, _) = ExternalTool.Run(PeerTools.Dcm2Json, "-fc", PeerTools.PydicomFile("image_dfl.dcm"));
        Assert.Equal(0, exit);
        Assert.Contains($"\"{file.Dataset.GetUid(DicomTag.SopInstanceUid)}\"", stdout, StringComparison.Ordinal);
        Assert.True(file.Dataset.GetInt32(DicomTag.Rows) > 0);
        Assert.NotNull(file.Dataset[DicomTag.PixelData]);
    }

    [Fact]
    public void Encapsulated_pixel_data_is_kept_as_fragments_with_its_transfer_syntax()
    {
        var file = DicomFile.Open(PeerTools.PydicomFile("JPEG2000.dcm"));
        Assert.Equal("1.2.840.10008.1.2.4.91", file.TransferSyntax.Uid);
        var pixels = Assert.IsType<DicomFragmentSequence>(file.Dataset[DicomTag.PixelData]);
        Assert.NotEmpty(pixels.Fragments);
        var first = pixels.Fragments[0].GetBytes();
        Assert.Equal([0xFF, 0x4F], first[..2]); // JPEG 2000 codestream SOC marker
    }

    [Fact]
    public void Unknown_transfer_syntax_is_a_DicomException_naming_it()
    {
        var bytes = File.ReadAllBytes(PeerTools.PydicomFile("CT_small.dcm"));
        var text = System.Text.Encoding.Latin1.GetString(bytes);
        var at = text.IndexOf("1.2.840.10008.1.2.1", StringComparison.Ordinal);
        Assert.True(at > 0);
        "9.9.999.999.9.9.9.9"u8.CopyTo(bytes.AsSpan(at));
        var error = Assert.Throws<DicomException>(() => DicomFile.Open(new MemoryStream(bytes)));
        Assert.Contains("9.9.999.999.9.9.9.9", error.Message, StringComparison.Ordinal);
    }
}
