using MiM.Bundles.Dicom.Uids;

namespace MiM.Bundles.Dicom.Tests.Uids;

public class ResultUidGeneratorTests
{
    private const string Source = "1.2.826.0.1.3680043.10.1466.78.2";

    [Fact]
    public void Uids_are_2_25_uuids_that_fit_64_characters()
    {
        for (var n = 0; n < 200; n++)
        {
            var uids = ResultUidGenerator.Create(Source, "abdomen-ct-seg", "1.2.3", Guid.NewGuid());
            foreach (var uid in new[] { uids.SeriesInstanceUid, uids.SopInstanceUid, uids.DimensionOrganizationUid })
            {
                Assert.StartsWith("2.25.", uid, StringComparison.Ordinal);
                Assert.True(DicomUid.IsValid(uid), uid);
                Assert.InRange(uid.Length, 6, 44);
            }
        }
    }

    [Fact]
    public void Each_input_changes_every_uid_and_equal_inputs_repeat_them()
    {
        var nonce = Guid.NewGuid();
        var baseline = ResultUidGenerator.Create(Source, "abdomen-ct-seg", "1.2.3", nonce);
        Assert.Equal(baseline, ResultUidGenerator.Create(Source, "abdomen-ct-seg", "1.2.3", nonce));
        var variants = new[]
        {
            ResultUidGenerator.Create(Source + ".1", "abdomen-ct-seg", "1.2.3", nonce),
            ResultUidGenerator.Create(Source, "abdomen-ct-seg2", "1.2.3", nonce),
            ResultUidGenerator.Create(Source, "abdomen-ct-seg", "1.2.4", nonce),
            ResultUidGenerator.Create(Source, "abdomen-ct-seg", "1.2.3", Guid.NewGuid()),
        };
        Assert.All(variants, v => Assert.NotEqual(baseline.SopInstanceUid, v.SopInstanceUid));
        Assert.All(variants, v => Assert.NotEqual(baseline.SeriesInstanceUid, v.SeriesInstanceUid));
        // Length prefixes keep part boundaries: ("ab", "c") and ("a", "bc") differ.
        Assert.NotEqual(ResultUidGenerator.Derive("ab", "c"), ResultUidGenerator.Derive("a", "bc"));
    }

    [Theory]
    [InlineData("1.2.840.10008.5.1.4.1.1.66.4", true)]
    [InlineData("2.25.0", true)]
    [InlineData("1.02.3", false)]
    [InlineData("1..2", false)]
    [InlineData("1.2.", false)]
    [InlineData("1.2.a", false)]
    [InlineData("", false)]
    public void Uid_syntax_follows_PS3_5(string uid, bool valid) => Assert.Equal(valid, DicomUid.IsValid(uid));

    [Fact]
    public void A_uid_longer_than_64_characters_is_invalid() => Assert.False(DicomUid.IsValid("1." + new string('1', 63)));
}
