using System.Diagnostics;
using System.Globalization;

namespace MiM.Bundles.Cli.Commands.Demo;

/// <summary>
/// The running `mim` executable started again as a child process (as `dotnet mim.dll …` when it runs under the dotnet
/// host), its output appended to a log file. The demo builds its bundles and runs its host this way, exactly as a site
/// would run those verbs, and a crash of a child cannot take the demo's own checks with it.
/// </summary>
internal sealed class MimChildProcess : IDisposable
{
    // Children still running when the demo itself is stopped (SIGTERM, Ctrl+C) are killed with it, not left orphaned.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<MimChildProcess, byte> Live = new();

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Action<string>? _onLine;
    private readonly object _gate = new();
    private bool _closed;

    private MimChildProcess(Process process, StreamWriter log, Action<string>? onLine)
    {
        _process = process;
        _log = log;
        _onLine = onLine;
    }

    // Held in fields so the registrations live as long as the process; the default handling (ending the demo) follows.
    private static readonly System.Runtime.InteropServices.PosixSignalRegistration[] SignalRegistrations =
    [
        System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, _ => KillAll()),
        System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, _ => KillAll()),
    ];

    static MimChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the child has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The child's exit status (only once it has ended).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts `mim <paramref name="arguments"/>`, appending stdout and stderr to <paramref name="logFile"/>.</summary>
    /// <param name="arguments">The verb and its options.</param>
    /// <param name="logFile">Where the child's output goes (appended).</param>
    /// <param name="onLine">Called with each line of the child's output, on a thread-pool thread.</param>
    public static MimChildProcess Start(IReadOnlyList<string> arguments, string logFile, Action<string>? onLine = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
        var start = StartInfo(arguments);
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        log.WriteLine($"$ mim {string.Join(' ', arguments)}");
        var process = new Process { StartInfo = start };
        var child = new MimChildProcess(process, log, onLine);
        process.OutputDataReceived += (_, e) => child.Line(e.Data);
        process.ErrorDataReceived += (_, e) => child.Line(e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            log.Dispose();
            process.Dispose();
            throw;
        }

        Live[child] = 0;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs `mim <paramref name="arguments"/>` to its end and returns its exit status (-1 when killed after <paramref name="timeout"/>).</summary>
    public static int Run(IReadOnlyList<string> arguments, string logFile, TimeSpan timeout, Action<string>? onLine = null)
    {
        using var child = Start(arguments, logFile, onLine);
        return child.WaitForExit(timeout) ? child.ExitCode : child.Kill();
    }

    /// <summary>Waits for the child to end; false when it is still running after <paramref name="timeout"/>.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        // The parameterless wait also drains the redirected output.
        _process.WaitForExit();
        return true;
    }

    /// <summary>
    /// Asks the child to stop as a service manager would (SIGTERM), waits up to <paramref name="grace"/>, then kills it
    /// and its children. Returns the exit status, or -1 when it had to be killed.
    /// </summary>
    public int Stop(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            _process.WaitForExit();
            return _process.ExitCode;
        }

        try
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No kill(1): the kill below still ends the child.
        }

        return WaitForExit(grace) ? _process.ExitCode : Kill();
    }

    /// <summary>Kills the child and its children at once; returns -1.</summary>
    public int Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // It ended on its own meanwhile.
        }

        return -1;
    }

    /// <summary>Kills the child if it still runs, and closes its log.</summary>
    public void Dispose()
    {
        Live.TryRemove(this, out _);
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        lock (_gate)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private static void KillAll()
    {
        foreach (var child in Live.Keys)
        {
            child.Kill();
        }
    }

    private static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The path of the running executable is unknown.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };

        // Under the dotnet host the executable is dotnet itself: the child needs the entry assembly as its first argument.
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(MimChildProcess).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private void Line(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            // Output that arrives while the child is killed after its log closed is dropped, not thrown on a pool thread.
            if (!_closed)
            {
                _log.WriteLine(line);
            }
        }

        _onLine?.Invoke(line);
    }
}
