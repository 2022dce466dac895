using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.Dictionary;

namespace MiM.Bundles.Dicom.Tests.Dictionary;

public sealed class DictionaryTests
{
    [Theory]
    [InlineData(0x0010, 0x0010, "PatientName", DicomVr.PN, "1")]
    [InlineData(0x0008, 0x0008, "ImageType", DicomVr.CS, "2-n")]
    [InlineData(0x0028, 0x0106, "SmallestImagePixelValue", DicomVr.US, "1")] // "US or SS" reads as US, as in DCMTK
    [InlineData(0x7FE0, 0x0010, "PixelData", DicomVr.OW, "1")] // "OB or OW" reads as OW
    [InlineData(0x6002, 0x3000, "OverlayData", DicomVr.OW, "1")] // repeating group (60xx,3000), even groups
    [InlineData(0x0020, 0x3150, "RETIRED_SourceImageIDs", DicomVr.CS, "1-n")] // element range (0020,3100-31FF)
    [InlineData(0x0009, 0x0010, "PrivateCreator", DicomVr.LO, "1")]
    [InlineData(0x0018, 0x0000, "GenericGroupLength", DicomVr.UL, "1")]
    [InlineData(0x0008, 0x0017, "AcquisitionUID", DicomVr.UI, "1")]
    public void Entries_come_from_dcmtk(ushort group, ushort element, string keyword, DicomVr vr, string vm)
    {
        var entry = DicomDictionaryIndex.Find(new DicomTag(group, element));
        Assert.NotNull(entry);
        Assert.Equal(keyword, entry.Keyword);
        Assert.Equal(vr, entry.Vr);
        Assert.Equal(vm, entry.Multiplicity);
    }

    [Fact]
    public void Odd_groups_do_not_match_even_repeating_groups() => Assert.Null(DicomDictionaryIndex.Find(new DicomTag(0x6001, 0x3000)));

    [Fact]
    public void Unknown_and_private_tags_are_UN_in_implicit_VR()
    {
        Assert.Equal(DicomVr.UN, DicomDictionaryIndex.ImplicitVr(new DicomTag(0x0029, 0x1010)));
        Assert.Equal("PrivateTag", DicomDictionaryIndex.KeywordOf(new DicomTag(0x0029, 0x1010)));
    }

    [Fact]
    public void Allowed_vrs_are_kept_and_keywords_resolve()
    {
        Assert.Equal("US or SS", DicomDictionaryIndex.Find(new DicomTag(0x0028, 0x0106))!.AllowedVrs);
        Assert.Equal(DicomTag.SopInstanceUid, DicomDictionaryIndex.FindTag("SOPInstanceUID"));
        Assert.True(DicomDictionaryIndex.Count > 4000);
    }

    [Fact]
    public void Generated_file_matches_the_installed_dcmtk_dictionary_count()
    {
        const string dic = "/usr/share/libdcmtk17/dicom.dic";
        Assert.True(File.Exists(dic), $"{dic} is missing: run scripts/install-peers.sh");
        var exact = File.ReadLines(dic).Count(l => l.StartsWith('(') && System.Text.RegularExpressions.Regex.IsMatch(l, @"^\([0-9A-F]{4},[0-9A-F]{4}\)\t"));
        Assert.InRange(DicomDictionaryIndex.Count, exact - 50, exact);
    }
}
