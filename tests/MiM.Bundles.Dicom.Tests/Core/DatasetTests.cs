using MiM.Bundles.Dicom.Core;

namespace MiM.Bundles.Dicom.Tests.Core;

public sealed class DatasetTests
{
    [Fact]
    public void Multi_valued_strings_split_on_backslash_and_lose_padding()
    {
        var dataset = new DicomDataset().SetBytes(new DicomTag(0x0008, 0x0008), DicomVr.CS, "ORIGINAL\\PRIMARY\\AXIAL "u8.ToArray());
        Assert.Equal(["ORIGINAL", "PRIMARY", "AXIAL"], dataset.GetStrings(new DicomTag(0x0008, 0x0008)));
        Assert.Equal(3, dataset.GetValueCount(new DicomTag(0x0008, 0x0008)));
    }

    [Fact]
    public void Text_vrs_are_one_value_and_keep_backslashes_and_leading_spaces()
    {
        var dataset = new DicomDataset().SetBytes(new DicomTag(0x0020, 0x4000), DicomVr.LT, "  a\\b "u8.ToArray());
        Assert.Equal(["  a\\b"], dataset.GetStrings(new DicomTag(0x0020, 0x4000)));
    }

    [Fact]
    public void Numbers_read_from_binary_and_text_vrs()
    {
        var dataset = new DicomDataset()
            .SetNumbers(new DicomTag(0x0028, 0x0030), DicomVr.DS, 0.5, -1.25)
            .SetNumbers(new DicomTag(0x0020, 0x0013), DicomVr.IS, 7)
            .SetNumbers(new DicomTag(0x0028, 0x0106), DicomVr.SS, -3)
            .SetNumbers(new DicomTag(0x0018, 0x9219), DicomVr.FL, 1.5)
            .SetNumbers(new DicomTag(0x0009, 0x1002), DicomVr.UV, 12345678901234);
        Assert.Equal([0.5, -1.25], dataset.GetDoubles(new DicomTag(0x0028, 0x0030)));
        Assert.Equal(7, dataset.GetInt32(new DicomTag(0x0020, 0x0013)));
        Assert.Equal(-3, dataset.GetInt32(new DicomTag(0x0028, 0x0106)));
        Assert.Equal(1.5, dataset.GetDouble(new DicomTag(0x0018, 0x9219)));
        Assert.Equal(12345678901234, dataset.GetLongs(new DicomTag(0x0009, 0x1002))[0]);
        Assert.Equal(["0.5", "-1.25"], dataset.GetStrings(new DicomTag(0x0028, 0x0030)));
        Assert.Null(dataset.GetInt32(DicomTag.Rows));
    }

    [Fact]
    public void Bad_numbers_are_DicomExceptions()
    {
        var dataset = new DicomDataset()
            .SetBytes(new DicomTag(0x0028, 0x0030), DicomVr.DS, "abc "u8.ToArray())
            .SetNumbers(new DicomTag(0x0028, 0x0008), DicomVr.UL, 4_000_000_000);
        Assert.Throws<DicomException>(() => dataset.GetDoubles(new DicomTag(0x0028, 0x0030)));
        Assert.Throws<DicomException>(() => dataset.GetInt32(new DicomTag(0x0028, 0x0008)));
        Assert.Throws<DicomException>(() => dataset.SetNumbers(DicomTag.Rows, DicomVr.US, 70000));
        Assert.Throws<DicomException>(() => dataset.SetStrings(DicomTag.Rows, DicomVr.US, "x"));
    }

    [Fact]
    public void Private_tags_are_recognised_and_kept_in_order()
    {
        var dataset = new DicomDataset()
            .SetStrings(new DicomTag(0x0029, 0x1010), DicomVr.LO, "b")
            .SetStrings(new DicomTag(0x0029, 0x0010), DicomVr.LO, "CREATOR")
            .SetStrings(DicomTag.PatientName, DicomVr.PN, "a");
        Assert.Equal([DicomTag.PatientName, new DicomTag(0x0029, 0x0010), new DicomTag(0x0029, 0x1010)], dataset.Select(e => e.Tag));
        Assert.True(new DicomTag(0x0029, 0x0010).IsPrivateCreator);
        Assert.True(new DicomTag(0x0029, 0x1010).IsPrivate);
        Assert.False(DicomTag.PatientName.IsPrivate);
        Assert.True(dataset.Remove(new DicomTag(0x0029, 0x1010)));
        Assert.Equal(2, dataset.Count);
    }

    [Theory]
    [InlineData("(0010,0010)")]
    [InlineData("0010,0010")]
    [InlineData("00100010")]
    public void Tags_parse_from_text(string text) => Assert.Equal(DicomTag.PatientName, DicomTag.Parse(text));

    [Fact]
    public void Tag_text_is_dcmdump_style() => Assert.Equal("(7fe0,0010)", DicomTag.PixelData.ToString());

    [Fact]
    public void Long_length_vrs_follow_PS3_5()
    {
        foreach (var vr in new[] { DicomVr.OB, DicomVr.OD, DicomVr.OF, DicomVr.OL, DicomVr.OV, DicomVr.OW, DicomVr.SQ, DicomVr.SV, DicomVr.UC, DicomVr.UN, DicomVr.UR, DicomVr.UT, DicomVr.UV })
        {
            Assert.True(DicomVrInfo.HasLongLength(vr), vr.ToString());
        }

        Assert.False(DicomVrInfo.HasLongLength(DicomVr.LO));
        Assert.False(DicomVrInfo.HasLongLength(DicomVr.US));
    }
}
