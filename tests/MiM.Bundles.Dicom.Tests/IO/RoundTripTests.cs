using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Tests.Peers;
using MiM.Bundles.Tests.Shared.Dicom;
using Xunit.Abstractions;

namespace MiM.Bundles.Dicom.Tests.IO;

public sealed class RoundTripTests(ITestOutputHelper output)
{
    public static TheoryData<string> LoadableFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in PeerTools.AllPydicomFiles())
        {
            try
            {
                var file = DicomFile.Open(f);
                if (file.Dataset.Contains(DicomTag.SopInstanceUid) && file.Dataset.Contains(DicomTag.SopClassUid))
                {
                    data.Add(Path.GetRelativePath(PeerTools.PydicomTestFiles, f));
                }
            }
            catch (DicomException)
            {
                // The corpus test covers files that do not load.
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LoadableFiles))]
    public void Read_write_read_gives_the_same_elements_and_dcmdump_accepts_the_file(string name)
    {
        var path = PeerTools.PydicomFile(name);
        var original = DicomFile.Open(path);
        var written = Path.Combine(Path.GetTempPath(), $"mim-dicom-rt-{Guid.NewGuid():N}.dcm");
        try
        {
            original.Save(written);
            var reread = DicomFile.Open(written);
            Assert.Empty(reread.Warnings);
            Assert.Null(DatasetComparer.FirstDifference(original.Dataset, reread.Dataset));
            Assert.Equal(original.Dataset.GetUid(DicomTag.SopInstanceUid) ?? original.Meta.GetUid(DicomTag.MediaStorageSopInstanceUid), reread.Meta.GetUid(DicomTag.MediaStorageSopInstanceUid));
            Assert.Equal("MIMBUNDLES_010", reread.Meta.GetString(new DicomTag(0x0002, 0x0013)));

            var (exit, stdout, stderr) = ExternalTool.Run(PeerTools.DcmDump, "-E", written);
            output.WriteLine(stderr);
            Assert.Equal(0, exit);
            Assert.DoesNotContain("E:", stderr + stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("W:", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(written);
        }
    }

    [Fact]
    public void A_data_set_built_in_code_is_written_and_read_back()
    {
        var item = new DicomDataset().SetStrings(new DicomTag(0x0008, 0x1150), DicomVr.UI, "1.2.840.10008.5.1.4.1.1.2");
        var dataset = new DicomDataset()
            .SetStrings(DicomTag.SpecificCharacterSet, DicomVr.CS, "ISO_IR 192")
            .SetStrings(DicomTag.SopClassUid, DicomVr.UI, "1.2.840.10008.5.1.4.1.1.66.4")
            .SetStrings(DicomTag.SopInstanceUid, DicomVr.UI, "2.25.1234")
            .SetStrings(DicomTag.PatientName, DicomVr.PN, "Müller^Jürgen=山田")
            .SetNumbers(DicomTag.Rows, DicomVr.US, 512)
            .SetNumbers(new DicomTag(0x0028, 0x0030), DicomVr.DS, 0.5, 0.75)
            .SetNumbers(new DicomTag(0x0018, 0x9219), DicomVr.FD, 1.25)
            .SetNumbers(new DicomTag(0x0009, 0x1001), DicomVr.SV, -5)
            .SetStrings(new DicomTag(0x0009, 0x0010), DicomVr.LO, "MIM PRIVATE")
            .SetTags(new DicomTag(0x0020, 0x9165), new DicomTag(0x0020, 0x9056))
            .Set(new DicomSequence(new DicomTag(0x0008, 0x1140), [item]));
        using var memory = new MemoryStream();
        new DicomFile(dataset).Write(memory);
        memory.Position = 0;
        var read = DicomFile.Open(memory);

        Assert.Equal("Müller^Jürgen=山田", read.Dataset.GetString(DicomTag.PatientName));
        Assert.Equal(512, read.Dataset.GetInt32(DicomTag.Rows));
        Assert.Equal([0.5, 0.75], read.Dataset.GetDoubles(new DicomTag(0x0028, 0x0030)));
        Assert.Equal(1.25, read.Dataset.GetDouble(new DicomTag(0x0018, 0x9219)));
        Assert.Equal(-5, read.Dataset.GetLongs(new DicomTag(0x0009, 0x1001))[0]);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", read.Dataset.GetItems(new DicomTag(0x0008, 0x1140))[0].GetUid(new DicomTag(0x0008, 0x1150)));
        Assert.Equal("2.25.1234", read.Meta.GetUid(DicomTag.MediaStorageSopInstanceUid));
        Assert.Equal("1.2.840.10008.1.2.1", read.Meta.GetUid(DicomTag.TransferSyntaxUid));
        Assert.Null(DatasetComparer.FirstDifference(dataset, read.Dataset));
    }

    [Fact]
    public void Uid_values_are_padded_with_nul_and_text_with_space()
    {
        var dataset = new DicomDataset()
            .SetStrings(DicomTag.SopClassUid, DicomVr.UI, "1.2.3")
            .SetStrings(DicomTag.SopInstanceUid, DicomVr.UI, "1.2.3.4")
            .SetStrings(new DicomTag(0x0008, 0x0060), DicomVr.CS, "CT")
            .SetStrings(new DicomTag(0x0008, 0x0070), DicomVr.LO, "ABC");
        var uid = ((DicomValueElement)dataset[DicomTag.SopClassUid]!).Buffer.GetBytes();
        var lo = ((DicomValueElement)dataset[new DicomTag(0x0008, 0x0070)]!).Buffer.GetBytes();
        Assert.Equal("1.2.3\0"u8.ToArray(), uid);
        Assert.Equal("ABC "u8.ToArray(), lo);
        Assert.Equal("ABC", dataset.GetString(new DicomTag(0x0008, 0x0070)));
        Assert.Equal("1.2.3", dataset.GetUid(DicomTag.SopClassUid));
    }
}
