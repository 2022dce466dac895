using System.Diagnostics;

namespace MiM.Bundles.Host.Tests.Cli;

/// <summary>Runs a peer tool (dciodvfy, python3 …) and returns its exit code and output.</summary>
internal static class ExternalTool
{
    public static (int Code, string Stdout, string Stderr) Run(string tool, params string[] args)
    {
        Assert.True(File.Exists(tool), $"{tool} is missing: run scripts/install-peers.sh");
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), $"{tool} timed out");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
