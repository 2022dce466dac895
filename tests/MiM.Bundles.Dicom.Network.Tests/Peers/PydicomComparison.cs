namespace MiM.Bundles.Dicom.Network.Tests.Peers;

/// <summary>
/// Asks pydicom (an independent reader) whether two files hold the same data set: every element's value equal, pixel
/// data compared as decoded pixels when either side is native (so a byte-order change by the sender is no difference),
/// as encapsulated bytes otherwise. Data Set Trailing Padding is ignored (DCMTK drops it when sending).
/// </summary>
internal static class PydicomComparison
{
    private const string Script = """
import sys, pydicom, numpy
a, b = (pydicom.dcmread(p) for p in sys.argv[1:3])
problems = []
for element in a:
    if element.tag in (0x7FE00010, 0xFFFCFFFC):  # pixel data below; trailing padding senders may drop
        continue
    if element.tag not in b:
        problems.append(f"{element.tag} missing")
    elif element.value != b[element.tag].value:
        problems.append(f"{element.tag} differs")
for element in b:
    if element.tag not in a:
        problems.append(f"{element.tag} extra")
if 0x7FE00010 in a:
    if a.file_meta.TransferSyntaxUID.is_compressed and b.file_meta.TransferSyntaxUID.is_compressed:
        same = a.PixelData == b.PixelData
    else:
        same = numpy.array_equal(a.pixel_array, b.pixel_array)
    if not same:
        problems.append("pixel data differs")
print("SAME" if not problems else "; ".join(problems))
""";

    public static void AssertSameDataSet(string expected, string actual)
    {
        var script = Path.Combine(Path.GetTempPath(), $"mim-compare-{Guid.NewGuid():N}.py");
        File.WriteAllText(script, Script);
        try
        {
            var result = PeerProcess.Run(TimeSpan.FromSeconds(60), "/usr/bin/python3", script, expected, actual);
            Assert.True(result.ExitCode == 0 && result.Output.Trim() == "SAME", result.Output);
        }
        finally
        {
            File.Delete(script);
        }
    }
}
