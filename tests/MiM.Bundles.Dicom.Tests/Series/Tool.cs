using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Dicom.Tests.Series;

/// <summary>Runs DCMTK/dcm2niix; a missing tool or non-zero exit fails the test with the tool's output.</summary>
internal static class Tool
{
    public static string Run(string tool, params string[] arguments)
    {
        var path = "/usr/bin/" + tool;
        Assert.True(File.Exists(path), $"{path} is missing: apt-get install dcmtk dcm2niix");
        var (code, stdout, stderr) = ExternalTool.Run(path, arguments);
        Assert.True(code == 0, $"{tool} {string.Join(' ', arguments)} exited {code}\n{stderr}\n{stdout}");
        return stdout;
    }
}
