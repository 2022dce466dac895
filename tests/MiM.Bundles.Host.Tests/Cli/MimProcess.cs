using System.Diagnostics;

namespace MiM.Bundles.Host.Tests.Cli;

/// <summary>Runs the real `mim` executable (built next to the tests) as a separate process.</summary>
internal static class MimProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static Result Run(TimeSpan timeout, params string[] args) => Run(timeout, args, []);

    /// <summary>Starts mim, sends SIGINT once <paramref name="ready"/> holds for its output so far, and waits for it to end.</summary>
    public static Result RunAndInterrupt(TimeSpan timeout, Func<string, bool> ready, params string[] args)
    {
        using var process = Process.Start(StartInfo(args, []))!;
        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!ready(Snapshot(stdout)))
        {
            Assert.False(process.HasExited, $"mim ended before it was interrupted: {Snapshot(stdout)}{Snapshot(stderr)}");
            Assert.True(clock.Elapsed < timeout, $"mim did not reach the point to interrupt within {timeout}.");
            Thread.Sleep(100);
        }

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"mim did not stop within {timeout} of SIGINT.");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, Snapshot(stdout), Snapshot(stderr));
    }

    public static Result Run(TimeSpan timeout, string[] args, params (string Name, string Value)[] environment)
    {
        using var process = Process.Start(StartInfo(args, environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"mim {string.Join(' ', args)} did not finish within {timeout}.");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// How the tests start `mim`. On Linux through <c>env --default-signal=INT</c> (which then execs dotnet, same
    /// process id): a test run started as a shell's background job inherits SIGINT ignored, and an ignored SIGINT
    /// stays ignored across exec, so the tests that stop `mim` with Ctrl+C would wait for nothing.
    /// </summary>
    internal static ProcessStartInfo StartInfo(string[] args, (string Name, string Value)[] environment)
    {
        var mimDll = Path.Combine(AppContext.BaseDirectory, "mim.dll");
        Assert.True(File.Exists(mimDll), $"mim.dll not found next to the tests at {mimDll}");
        var start = new ProcessStartInfo(OperatingSystem.IsLinux() ? "env" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (OperatingSystem.IsLinux())
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(mimDll);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static string Snapshot(System.Text.StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }
}
