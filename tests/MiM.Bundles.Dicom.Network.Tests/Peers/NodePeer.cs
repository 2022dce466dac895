namespace MiM.Bundles.Dicom.Network.Tests.Peers;

/// <summary>The dcmjs-dimse scripts in tests/interop/node: a DICOM network peer that is not built on DCMTK.</summary>
internal static class NodePeer
{
    public static string Script(string name)
    {
        var folder = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(folder, "tests", "interop", "node")))
        {
            folder = Path.GetDirectoryName(folder) ?? throw new InvalidOperationException("tests/interop/node not found above the test output");
        }

        var script = Path.Combine(folder, "tests", "interop", "node", name);
        Assert.True(Directory.Exists(Path.Combine(folder, "tests", "interop", "node", "node_modules", "dcmjs-dimse")), "run scripts/install-peers.sh first");
        return script;
    }
}
