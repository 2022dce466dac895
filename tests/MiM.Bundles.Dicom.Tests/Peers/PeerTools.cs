namespace MiM.Bundles.Dicom.Tests.Peers;

/// <summary>The reference tools the tests compare against: DCMTK and Debian's pydicom test files.</summary>
internal static class PeerTools
{
    public const string PydicomTestFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";
    public const string Dcm2Json = "/usr/bin/dcm2json";
    public const string DcmDump = "/usr/bin/dcmdump";
    public const string Python = "/usr/bin/python3";
    public const string PydicomCharsetFiles = "/usr/lib/python3/dist-packages/pydicom/data/charset_files";

    public static void RequirePeers()
    {
        foreach (var path in new[] { Dcm2Json, DcmDump, Python })
        {
            Assert.True(File.Exists(path), $"{path} is missing: run scripts/install-peers.sh");
        }

        Assert.True(Directory.Exists(PydicomTestFiles), $"{PydicomTestFiles} is missing: run scripts/install-peers.sh");
    }

    public static string PydicomFile(string name)
    {
        RequirePeers();
        return Path.Combine(PydicomTestFiles, name);
    }

    public static IEnumerable<string> AllPydicomFiles()
    {
        RequirePeers();
        return Directory.EnumerateFiles(PydicomTestFiles, "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(PydicomCharsetFiles, "*.dcm"))
            .Where(f => !f.EndsWith(".txt", StringComparison.Ordinal) && !f.EndsWith(".json", StringComparison.Ordinal)
                && !f.EndsWith(".dump", StringComparison.Ordinal) && !f.EndsWith(".gz", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }
}
