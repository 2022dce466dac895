using System.Diagnostics;

namespace MiM.Bundles.Tests.Shared.Dicom;

/// <summary>
/// Runs a peer tool (DCMTK, dciodvfy, python3 …) and returns its exit code and output. Linked into the test projects
/// that compare against the DICOM peers.
/// </summary>
internal static class ExternalTool
{
    private const int TimeoutMilliseconds = 60_000;

    /// <summary>Runs <paramref name="tool"/> (a full path fails the test when missing); a run past a minute is killed and fails.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string tool, params string[] args)
    {
        Assert.True(!Path.IsPathRooted(tool) || File.Exists(tool), $"{tool} is missing: run scripts/install-peers.sh");
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeoutMilliseconds))
        {
            process.Kill();
            throw new TimeoutException($"{tool} timed out");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
