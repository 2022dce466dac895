using System.Diagnostics;

namespace MiM.Bundles.Host.Tests.Cli;

/// <summary>Runs the real `mim` executable (built next to the tests) as a separate process.</summary>
internal static class MimProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static Result Run(TimeSpan timeout, params string[] args) => Run(timeout, args, []);

    public static Result Run(TimeSpan timeout, string[] args, params (string Name, string Value)[] environment)
    {
        var mimDll = Path.Combine(AppContext.BaseDirectory, "mim.dll");
        Assert.True(File.Exists(mimDll), $"mim.dll not found next to the tests at {mimDll}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(mimDll);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"mim {string.Join(' ', args)} did not finish within {timeout}.");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
