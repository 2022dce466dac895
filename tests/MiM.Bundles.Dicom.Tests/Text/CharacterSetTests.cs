using System.Text.Json;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Tests.Peers;
using MiM.Bundles.Dicom.Text;
using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Dicom.Tests.Text;

public sealed class CharacterSetTests
{
    // Every PN, LO, SH, ST, LT, UC and UT value in the file, items included, as pydicom decodes them.
    private const string PydicomScript = """
import json, sys, pydicom
out = []
def walk(ds, path):
    for e in ds:
        if e.VR == 'SQ':
            for i, item in enumerate(e.value):
                walk(item, path + '%08X[%d].' % (e.tag, i))
        elif e.VR in ('PN', 'LO', 'SH', 'ST', 'LT', 'UC', 'UT') and e.value not in (None, ''):
            v = e.value
            vals = list(v) if isinstance(v, pydicom.multival.MultiValue) else [v]
            out.append([path + '%08X' % e.tag, [str(x) for x in vals]])
walk(pydicom.dcmread(sys.argv[1]), '')
print(json.dumps(out))
""";

    [Theory]
    [InlineData("chrFren.dcm", "Buc^Jérôme")]
    [InlineData("chrFrenMulti.dcm", "Buc^Jérôme")]
    [InlineData("chrGerm.dcm", "Äneas^Rüdiger")]
    [InlineData("chrX1.dcm", "Wang^XiaoDong=王^小東")]
    [InlineData("chrSQEncoding.dcm", null)]
    public void Latin1_and_utf8_text_decodes_as_pydicom_decodes_it(string name, string? patientName)
    {
        var path = Path.Combine(PeerTools.PydicomCharsetFiles, name);
        PeerTools.RequirePeers();
        var file = DicomFile.Open(path);
        Assert.Null(file.Dataset.CharacterSet.Warning);
        if (patientName is not null)
        {
            Assert.Equal(patientName, file.Dataset.GetString(DicomTag.PatientName));
        }

        var (exit, stdout, stderr) = ExternalTool.Run(PeerTools.Python, "-c", PydicomScript, path);
        Assert.True(exit == 0, $"pydicom failed ({stderr}): run scripts/install-peers.sh");
        using var json = JsonDocument.Parse(stdout);
        var compared = 0;
        foreach (var entry in json.RootElement.EnumerateArray())
        {
            var expected = entry[1].EnumerateArray().Select(v => v.GetString()!).ToArray();
            var ours = Resolve(file.Dataset, entry[0].GetString()!);
            if (ours is null)
            {
                continue; // an item with its own, unsupported character set
            }

            Assert.Equal(expected, ours);
            compared++;
        }

        Assert.True(compared > 0);
    }

    [Fact]
    public void Items_inherit_the_character_set_of_their_data_set()
    {
        var item = new DicomDataset();
        var top = new DicomDataset().SetStrings(DicomTag.SpecificCharacterSet, DicomVr.CS, "ISO_IR 192")
            .Set(new DicomSequence(new DicomTag(0x0040, 0xA730), [item]));
        item.SetStrings(DicomTag.PatientName, DicomVr.PN, "Ω^α");
        Assert.Equal("ISO_IR 192", top.GetItems(new DicomTag(0x0040, 0xA730))[0].CharacterSet.Term);
        Assert.Equal(new byte[] { 0xCE, 0xA9, 0x5E, 0xCE, 0xB1, 0x20 }, ((DicomValueElement)item[DicomTag.PatientName]!).Buffer.GetBytes());
    }

    [Theory]
    [InlineData("chrRuss.dcm")]
    [InlineData("chrX2.dcm")]
    [InlineData("chrH31.dcm")]
    public void Unsupported_character_sets_decode_as_latin1_with_a_warning(string name)
    {
        PeerTools.RequirePeers();
        var file = DicomFile.Open(Path.Combine(PeerTools.PydicomCharsetFiles, name));
        Assert.NotNull(file.Dataset.CharacterSet.Warning);
        Assert.NotNull(file.Dataset.GetString(DicomTag.PatientName));
    }

    [Theory]
    [InlineData(new string[0], "")]
    [InlineData(new[] { "ISO_IR 6" }, "")]
    [InlineData(new[] { "ISO_IR 100" }, "ISO_IR 100")]
    [InlineData(new[] { "", "ISO 2022 IR 100" }, "\\ISO 2022 IR 100")]
    [InlineData(new[] { "ISO_IR 192" }, "ISO_IR 192")]
    public void Supported_terms_resolve_without_warning(string[] terms, string term)
    {
        var set = DicomCharacterSet.FromTerms(terms);
        Assert.Null(set.Warning);
        Assert.Equal(term, set.Term);
    }

    private static string[]? Resolve(DicomDataset dataset, string path)
    {
        var parts = path.Split('.');
        foreach (var part in parts[..^1])
        {
            var tag = DicomTag.Parse(part[..8]);
            var index = int.Parse(part[9..^1], System.Globalization.CultureInfo.InvariantCulture);
            dataset = dataset.GetItems(tag)[index];
        }

        return dataset.CharacterSet.Warning is null ? [.. dataset.GetStrings(DicomTag.Parse(parts[^1]))] : null;
    }
}
