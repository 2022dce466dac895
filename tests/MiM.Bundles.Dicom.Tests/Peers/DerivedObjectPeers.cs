using System.Text.Json;
using MiM.Bundles.Tests.Shared;
using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Dicom.Tests.Peers;

/// <summary>The validators and independent readers a written SEG or SR is checked with: dciodvfy, PixelMed, pydicom, dcmjs.</summary>
internal static class DerivedObjectPeers
{
    private const string Dciodvfy = "/usr/bin/dciodvfy";
    private const string Java = "/usr/bin/java";
    private const string PixelmedJar = "/usr/share/java/pixelmed.jar";
    private const string Node = "/usr/bin/node";

    /// <summary>dciodvfy's verdict: exit status, "Error" lines and "Warning" lines.</summary>
    public static (int ExitCode, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings) RunDciodvfy(string file)
    {
        Assert.True(File.Exists(Dciodvfy), $"{Dciodvfy} is missing: run scripts/install-peers.sh (dicom3tools)");
        var (code, stdout, stderr) = ExternalTool.Run(Dciodvfy, file);
        var lines = (stdout + "\n" + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (code, [.. lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal))], [.. lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal))]);
    }

    /// <summary>A PixelMed validator (DicomInstanceValidator unless named): its "Error" lines.</summary>
    public static IReadOnlyList<string> RunPixelmed(string file, string validator = "com.pixelmed.validate.DicomInstanceValidator")
    {
        Assert.True(File.Exists(PixelmedJar), $"{PixelmedJar} is missing: run scripts/install-peers.sh (pixelmed-apps)");
        var (_, stdout, stderr) = ExternalTool.Run(
            Java,
            "-Djdk.xml.xpathExprOpLimit=0", "-Djdk.xml.xpathExprGrpLimit=0", "-Djdk.xml.xpathTotalOpLimit=0",
            "-cp", PixelmedJar, validator, file);
        var output = stdout + "\n" + stderr;
        Assert.Contains("IOD validation complete", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("Error", StringComparison.Ordinal))];
    }

    /// <summary>Runs a Python script with /usr/bin/python3 and parses what it prints as JSON.</summary>
    public static JsonElement Pydicom(string script, params string[] args)
    {
        PeerTools.RequirePeers();
        var (code, stdout, stderr) = ExternalTool.Run(PeerTools.Python, ["-c", script, .. args]);
        Assert.True(code == 0, $"pydicom script failed ({code}): {stderr}");
        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.Clone();
    }

    /// <summary>Runs a Node script with the repository's tests/interop/node/node_modules as its first argument.</summary>
    public static JsonElement Dcmjs(string script, params string[] args)
    {
        var modules = RepositoryFiles.Path("tests", "interop", "node", "node_modules");
        Assert.True(Directory.Exists(Path.Combine(modules, "dcmjs")), $"{modules}/dcmjs is missing: run scripts/install-peers.sh");
        var (code, stdout, stderr) = ExternalTool.Run(Node, ["-e", script, modules, .. args]);
        Assert.True(code == 0, $"dcmjs script failed ({code}): {stderr}");
        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.Clone();
    }
}
