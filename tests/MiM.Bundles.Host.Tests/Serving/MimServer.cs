using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MiM.Bundles.Host.Tests.Serving;

/// <summary>`mim serve` as a child process: waits for the port it prints; can be stopped with SIGTERM or killed -9.</summary>
internal sealed partial class MimServer : IDisposable
{
    private readonly Process _process;
    private readonly bool _underParent;
    private readonly StringBuilder _output = new();

    private MimServer(Process process, bool underParent)
    {
        _process = process;
        _underParent = underParent;
    }

    public int Port { get; private set; }

    public string PortText => Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The host's process id (the one started, or the parent's child; `mim serve` may re-execute itself in it).</summary>
    public int ProcessId => _underParent ? ChildOf(_process.Id) : _process.Id;

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

    public static MimServer Start(string data, string bundles, params string[] extra) => Start(new Dictionary<string, string>(), data, bundles, extra);

    /// <summary>Starts `mim serve` with <paramref name="environment"/> added (settings as <c>MIM_Mim__Section__Key</c>).</summary>
    public static MimServer Start(IReadOnlyDictionary<string, string> environment, string data, string bundles, params string[] extra) =>
        Start(null, environment, data, bundles, extra);

    /// <summary>
    /// Starts `mim serve` as the child of <paramref name="shell"/> (a POSIX shell, perhaps under another name), which
    /// stays its parent until it ends — as a service manager is the parent of its services.
    /// </summary>
    public static MimServer StartUnder(string shell, IReadOnlyDictionary<string, string> environment, string data, string bundles, params string[] extra) =>
        Start(shell, environment, data, bundles, extra);

    private static MimServer Start(string? shell, IReadOnlyDictionary<string, string> environment, string data, string bundles, string[] extra)
    {
        var start = new ProcessStartInfo(shell ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (shell is not null)
        {
            // Not the last command of the script, so the shell forks it instead of replacing itself by it.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("\"$0\" \"$@\"; exit $?");
            start.ArgumentList.Add("dotnet");
        }

        string[] port = extra.Contains("--port") ? [] : ["--port", "0"];
        string[] quiet = extra.Contains("--quiet-seconds") ? [] : ["--quiet-seconds", "1"];
        string[] api = extra.Contains("--api") ? [] : ["--api", "http://127.0.0.1:0"]; // hosts side by side: no fixed API port
        string[] args = [Path.Combine(AppContext.BaseDirectory, "mim.dll"), "serve", "--aet", "MIMSERVE", .. port, "--bind", "127.0.0.1", "--data", data, "--bundles", bundles, .. quiet, .. api, .. extra];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["MIM_Mim__Serve__MinimumFreeMegabytes"] = "0";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var server = new MimServer(Process.Start(start)!, shell is not null);
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (PortLine().Match(server.Output) is not { Success: true })
        {
            Assert.False(server._process.HasExited, $"mim serve ended: {server.Output}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"mim serve printed no port: {server.Output}");
            Thread.Sleep(50);
        }

        server.Port = int.Parse(PortLine().Match(server.Output).Groups[1].Value, CultureInfo.InvariantCulture);
        return server;
    }

    /// <summary>SIGKILL: no chance to clean up, as in a power cut.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM (a service stop); returns the exit code.</summary>
    public int Terminate(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", ProcessId.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        if (!_process.WaitForExit(timeout))
        {
            _process.Kill();
            Assert.Fail($"mim serve did not stop within {timeout} of SIGTERM: {Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing with the server's output after <paramref name="timeout"/>.</summary>
    public void WaitFor(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(_process.HasExited, $"mim serve ended while waiting for {what}: {Output}");
            Assert.True(clock.Elapsed < timeout, $"no {what} within {timeout}: {Output}");
            Thread.Sleep(100);
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

    private static int ChildOf(int parent)
    {
        var children = File.ReadAllText($"/proc/{parent}/task/{parent}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return int.Parse(Assert.Single(children), CultureInfo.InvariantCulture);
    }

    /// <summary>The REST API's address from its start line (null when it runs none).</summary>
    public Uri? ApiAddress => ApiLine().Match(Output) is { Success: true } m ? new Uri(m.Groups[1].Value) : null;

    [GeneratedRegex(@"REST API listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ApiLine();

    [GeneratedRegex(@"Listening as \S+ on port (\d+);")]
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
