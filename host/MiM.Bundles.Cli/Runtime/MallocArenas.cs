using System.Globalization;
using System.Runtime.InteropServices;

namespace MiM.Bundles.Cli.Runtime;

/// <summary>
/// Caps glibc's malloc arenas for the long-running host. glibc gives threads their own arenas (up to 8 per core) and
/// each keeps the volume-sized buffers freed in it: `mim serve` held 570 MB after 24 studies, with 2 arenas 445 MB and
/// results as fast (bench/README.md, issue 13). glibc reads MALLOC_ARENA_MAX once, at start, and a mallopt() from
/// managed code comes too late (the runtime's threads already have their arenas; measured), so the host re-executes
/// itself once — same process id, same arguments — with the variable set. A value the site set is left alone.
/// </summary>
internal static partial class MallocArenas
{
    /// <summary>glibc's variable.</summary>
    public const string Variable = "MALLOC_ARENA_MAX";

    /// <summary>The arenas `mim serve` runs with unless <see cref="Variable"/> says otherwise.</summary>
    public const int ServeDefault = 2;

    /// <summary>
    /// Replaces this process by itself with <see cref="Variable"/> = <paramref name="arenas"/> when it is unset; returns
    /// only when it is set already, on systems without /proc, or when the re-execution failed (the host then runs
    /// uncapped).
    /// </summary>
    public static void EnsureCapped(int arenas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(arenas, 1);
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable) is not null)
        {
            return;
        }

        string?[] argv;
        try
        {
            // The native command line (dotnet mim.dll serve … or the apphost's), exactly as this process got it.
            argv = [.. File.ReadAllText("/proc/self/cmdline").TrimEnd('\0').Split('\0'), null];
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        if (SetEnv(Variable, arenas.ToString(CultureInfo.InvariantCulture), 0) == 0)
        {
            _ = ExecV("/proc/self/exe", argv);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "execv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ExecV(string path, string?[] argv);
}
