using System.Diagnostics;
using System.Text;

namespace MiM.Bundles.Dicom.Network.Tests.Peers;

/// <summary>Runs a real peer (DCMTK, Orthanc, node) as a child process, with TCP_NODELAY=1 as DCMTK needs to be fast.</summary>
internal sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PeerProcess(Process process)
    {
        _process = process;
    }

    public sealed record Result(int ExitCode, string Output);

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

    public bool HasExited => _process.HasExited;

    public static Result Run(TimeSpan timeout, string program, params string[] args)
    {
        using var peer = Start(program, args);
        if (!peer._process.WaitForExit(timeout))
        {
            peer._process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} did not finish within {timeout}: {peer.Output}");
        }

        peer._process.WaitForExit();
        return new Result(peer._process.ExitCode, peer.Output);
    }

    public static PeerProcess Start(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["TCP_NODELAY"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, e) => peer.Append(e.Data);
        process.ErrorDataReceived += (_, e) => peer.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    public void WaitForOutput(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.False(_process.HasExited, $"peer ended before printing '{text}': {Output}");
            Assert.True(clock.Elapsed < timeout, $"peer did not print '{text}' within {timeout}: {Output}");
            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
