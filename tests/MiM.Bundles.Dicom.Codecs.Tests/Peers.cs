using System.Diagnostics;

namespace MiM.Bundles.Dicom.Codecs.Tests;

/// <summary>Runs the DCMTK tools the tests compare against; a missing tool fails with how to install it.</summary>
internal static class Peers
{
    public static void Run(string tool, string workDir, params string[] args)
    {
        var path = Path.Combine("/usr/bin", tool);
        if (!File.Exists(path))
        {
            Assert.Fail($"{tool} is missing (DCMTK): run scripts/install-peers.sh");
        }

        var info = new ProcessStartInfo(path) { WorkingDirectory = workDir, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            Assert.Fail($"{tool} {string.Join(' ', args)} exited {p.ExitCode}: {stderr} {stdout.Result}");
        }
    }

    public static string Output(string tool, string workDir, params string[] args)
    {
        var path = Path.Combine("/usr/bin", tool);
        if (!File.Exists(path))
        {
            Assert.Fail($"{tool} is missing (DCMTK): run scripts/install-peers.sh");
        }

        var info = new ProcessStartInfo(path) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} exited {p.ExitCode}: {stderr.Result}");
        return text;
    }
}
