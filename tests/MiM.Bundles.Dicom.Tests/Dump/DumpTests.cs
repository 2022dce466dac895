using System.Text.Json;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.Dump;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Tests.Peers;
using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Dicom.Tests.Dump;

public sealed class DumpTests
{
    [Theory]
    [InlineData("CT_small.dcm")]
    [InlineData("MR_small.dcm")]
    [InlineData("rtplan.dcm")]
    public void Text_lines_of_top_level_values_equal_dcmdump(string name)
    {
        var path = PeerTools.PydicomFile(name);
        var ours = DicomTextDumper.ToText(DicomFile.Open(path)).Split('\n').ToHashSet();
        var (exit, stdout, _) = ExternalTool.Run(PeerTools.DcmDump, path);
        Assert.Equal(0, exit);
        string[] vrs = ["CS", "DA", "TM", "LO", "SH", "IS", "DS", "US", "SS", "UL", "SL", "AS", "LT", "ST", "FD", "FL"];
        var compared = 0;
        foreach (var line in stdout.Split('\n'))
        {
            // Top-level, plain-ASCII, untruncated values: dcmdump's own UID names and value cut-offs are not ours.
            if (line.Length < 16 || line[0] != '(' || line.Contains("...", StringComparison.Ordinal) || line.Any(c => c > 127)
                || !vrs.Contains(line[12..14]) || line.StartsWith("(0002", StringComparison.Ordinal) || IsPrivate(line))
            {
                continue;
            }

            Assert.Contains(line, ours);
            compared++;
        }

        Assert.True(compared > 10, $"{compared} lines compared");
    }

    /// <summary>dcmdump names private tags from its private dictionary, which this layer does not carry.</summary>
    private static bool IsPrivate(string line) => DicomTag.Parse(line[..11]).IsPrivate;

    [Fact]
    public void Text_dump_does_not_read_deferred_pixel_data()
    {
        var file = DicomFile.Open(PeerTools.PydicomFile("CT_small.dcm"));
        var text = DicomTextDumper.ToText(file);
        Assert.Contains("(7fe0,0010) OW (not loaded)", text, StringComparison.Ordinal);
        Assert.False(((DicomValueElement)file.Dataset[DicomTag.PixelData]!).Buffer.IsLoaded);
        Assert.Contains("(0010,0010) PN [CompressedSamples^CT1]", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CT_small.dcm")]
    [InlineData("rtplan.dcm")]
    [InlineData("MR_small_bigendian.dcm")]
    [InlineData("image_dfl.dcm")]
    [InlineData("../charset_files/chrX1.dcm")]
    public void Json_equals_dcm2json(string name)
    {
        var path = PeerTools.PydicomFile(name);
        var ours = DicomJsonWriter.ToJson(DicomFile.Open(path).Dataset, new DicomJsonOptions { IncludePixelData = true });
        var (exit, stdout, _) = ExternalTool.Run(PeerTools.Dcm2Json, "-fc", path);
        Assert.Equal(0, exit);
        using var expected = JsonDocument.Parse(stdout);
        using var actual = JsonDocument.Parse(ours);
        AssertSame(expected.RootElement, actual.RootElement, "");
    }

    [Fact]
    public void Json_follows_the_PS3_18_model()
    {
        var dataset = new DicomDataset()
            .SetStrings(DicomTag.PatientName, DicomVr.PN, "Doe^John")
            .SetNumbers(DicomTag.Rows, DicomVr.US, 512)
            .SetStrings(new DicomTag(0x0008, 0x0050), DicomVr.SH)
            .SetBytes(new DicomTag(0x0009, 0x1001), DicomVr.OB, [1, 2, 3, 4]);
        var json = DicomJsonWriter.ToJson(dataset, new DicomJsonOptions { Indented = false });
        Assert.Equal("""{"00080050":{"vr":"SH"},"00091001":{"vr":"OB","InlineBinary":"AQIDBA=="},"00100010":{"vr":"PN","Value":[{"Alphabetic":"Doe^John"}]},"00280010":{"vr":"US","Value":[512]}}""", json);
    }

    private static void AssertSame(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind == JsonValueKind.Number && actual.ValueKind == JsonValueKind.Number)
        {
            // dcm2json prints FL with 9 significant digits and DS as written; compare as numbers.
            var (e, a) = (expected.GetDouble(), actual.GetDouble());
            Assert.True(Math.Abs(e - a) <= 1e-6 * Math.Max(1, Math.Abs(e)), $"{path}: {e} vs {a}");
            return;
        }

        Assert.True(expected.ValueKind == actual.ValueKind, $"{path}: {expected.ValueKind} vs {actual.ValueKind} ({expected} / {actual})");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var names = expected.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                var actualNames = actual.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                Assert.True(names.SequenceEqual(actualNames), $"{path}: [{string.Join(",", names)}] vs [{string.Join(",", actualNames)}] ({actual})");
                foreach (var name in names)
                {
                    AssertSame(expected.GetProperty(name), actual.GetProperty(name), $"{path}/{name}");
                }

                break;
            case JsonValueKind.Array:
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{path}: {expected.GetArrayLength()} vs {actual.GetArrayLength()} values");
                foreach (var (e, a) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
                {
                    AssertSame(e, a, path + "[]");
                }

                break;
            case JsonValueKind.String:
                Assert.True(expected.GetString() == actual.GetString() || path.EndsWith("00080005/Value[]", StringComparison.Ordinal),
                    $"{path}: '{expected.GetString()}' vs '{actual.GetString()}'");
                break;
        }
    }
}
