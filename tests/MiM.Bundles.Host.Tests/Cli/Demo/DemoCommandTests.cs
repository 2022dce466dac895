namespace MiM.Bundles.Host.Tests.Cli.Demo;

/// <summary>`mim demo` as a process: when its host cannot serve the demo heads it fails, says where to look, and leaves no child behind.</summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mim-demo-command-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Without_servable_demo_heads_the_demo_exits_2_names_the_host_log_and_stops_its_host()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_folder, "no-bundles")).FullName;
        var output = Path.Combine(_folder, "out");

        var result = MimProcess.Run(TimeSpan.FromMinutes(3), "demo", "--out", output, "--bundles", empty, "--timeout", "20");

        Assert.True(result.ExitCode == 2, result.StdOut + result.StdErr);
        Assert.Contains("FAILED", result.StdOut, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(output, "host.log"), result.StdOut, StringComparison.Ordinal);
        Assert.Contains("host killed", result.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "study", "phantom_0901", "CT_0048.dcm")), "the studies are written before the host starts");
        Assert.EndsWith("mim demo: FAILED", result.StdOut.TrimEnd(), StringComparison.Ordinal);
    }
}
