using System.Diagnostics;

namespace MiM.Bundles.Imaging.Tests.Interop;

/// <summary>
/// Runs a command-line tool that a test depends on (DCMTK, dcm2niix) and fails the test with the tool's own
/// output when it is missing, exits non-zero or hangs.
/// </summary>
internal static class ExternalTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <paramref name="tool"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>; returns its stdout.</summary>
    public static string Run(string tool, string workingDirectory, params string[] arguments)
    {
        var executable = FindOnPath(tool) ?? throw new InvalidOperationException(
            $"'{tool}' is not installed or not on PATH. Install it with 'apt-get install dcmtk dcm2niix' (.ci/run installs them).");
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{executable}'.");

        // Both streams are drained concurrently so a chatty tool cannot block on a full pipe.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{tool} {string.Join(' ', arguments)}' did not finish within {Timeout.TotalSeconds} s.");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{tool} {string.Join(' ', arguments)}' exited with code {process.ExitCode}.\nstderr:\n{stderr.Result}\nstdout:\n{stdout.Result}");
        }

        return stdout.Result;
    }

    private static string? FindOnPath(string tool)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return folders.Select(folder => Path.Combine(folder, tool)).FirstOrDefault(File.Exists);
    }
}
