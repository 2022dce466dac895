using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MiM.Bundles.Host.Tests.Cli;

/// <summary>`mim dicom listen` as a child process: waits for the port it prints, can be interrupted or killed -9.</summary>
internal sealed partial class MimListener : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private MimListener(Process process)
    {
        _process = process;
    }

    public int Port { get; private set; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static MimListener Start(string inbox, params string[] extra)
    {
        var start = MimProcess.StartInfo(["dicom", "listen", "--aet", "MIMTEST", "--port", "0", "--bind", "127.0.0.1", "--out", inbox, "--min-free-mb", "0", .. extra], []);
        var listener = new MimListener(Process.Start(start)!);
        listener._process.OutputDataReceived += (_, e) => listener.Append(e.Data);
        listener._process.ErrorDataReceived += (_, e) => listener.Append(e.Data);
        listener._process.BeginOutputReadLine();
        listener._process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (PortLine().Match(listener.Output) is not { Success: true } match)
        {
            Assert.False(listener._process.HasExited, $"mim dicom listen ended: {listener.Output}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"mim dicom listen printed no port: {listener.Output}");
            Thread.Sleep(50);
        }

        listener.Port = int.Parse(PortLine().Match(listener.Output).Groups[1].Value, CultureInfo.InvariantCulture);
        return listener;
    }

    public string PortText => Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>SIGKILL: no chance to clean up, as in a power cut of the process.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGINT (Ctrl+C); returns the exit code.</summary>
    public int Interrupt(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        if (!_process.WaitForExit(timeout))
        {
            _process.Kill();
            _process.WaitForExit(); // lets the output readers drain, so the message shows whether "Stopping:" was printed
            Assert.Fail($"mim dicom listen did not stop within {timeout} of SIGINT: {Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Listening as \S+ on port (\d+)")]
    private static partial Regex PortLine();

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
