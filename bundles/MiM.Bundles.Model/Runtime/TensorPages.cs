using System.Runtime.InteropServices;

namespace MiM.Bundles.Model.Runtime;

/// <summary>
/// Chooses, once at start-up, how libtorch's large CPU tensors get their pages. glibc serves every allocation above its
/// mmap threshold (at most 32 MiB) with a fresh mapping and unmaps it on free, so each large activation of every
/// window or step is faulted in again, one fault per 4 KiB page and the kernel zeroing each; on virtual machines a fault
/// costs ~9 µs, which made a fresh 85 MB tensor cost ~190 ms to fill (issue 15). Three modes
/// (<see cref="TensorPagesMode"/>), measured in bench/README.md:
/// <list type="bullet">
/// <item><c>kept</c>, the default: <c>mallopt</c> tells glibc to serve large blocks from its heap and to keep freed
/// memory (no unmap, no trim), so the second window or step reuses the first one's pages without a fault; large
/// tensors also get huge pages as below. Resident memory stays at the peak of the largest pass (measured stable over
/// repeated windows) until <see cref="Release"/> returns the free part to the kernel; sliding-window inference calls it
/// after each pass over a volume.</item>
/// <item><c>huge</c>: libtorch's THP_MEM_ALLOC_ENABLE aligns tensors of 2 MiB or more to 2 MiB and advises transparent
/// huge pages: one fault per 2 MiB instead of 512, but the kernel still zeroes every fresh page.</item>
/// <item><c>default</c>: libtorch's allocation as it is.</item>
/// </list>
/// </summary>
public static partial class TensorPages
{
    /// <summary><c>kept</c> (default), <c>huge</c> or <c>default</c>, for comparisons and diagnosis.</summary>
    public const string ModeVariable = "MIM_TENSOR_PAGES";

    private const string LibtorchVariable = "THP_MEM_ALLOC_ENABLE";
    private const string KernelSetting = "/sys/kernel/mm/transparent_hugepage/enabled";

    // glibc's mallopt parameters (malloc.h).
    private const int MallocTrimThreshold = -1;
    private const int MallocMmapMax = -4;

    private static TensorPagesMode? s_configured;

    /// <summary>
    /// For an executable's Main, before the first tensor: applies the mode <see cref="ModeVariable"/> asks for
    /// (<c>kept</c> when unset) where this system allows it, and returns the mode in force.
    /// </summary>
    public static TensorPagesMode Configure()
    {
        var wanted = Environment.GetEnvironmentVariable(ModeVariable)?.Trim().ToUpperInvariant() switch
        {
            "DEFAULT" => TensorPagesMode.Default,
            "HUGE" => TensorPagesMode.HugePages,
            _ => TensorPagesMode.Kept,
        };
        if (wanted == TensorPagesMode.Kept && KeepFreedMemory())
        {
            // Huge pages too where the kernel allows them: the kept pages then cost fewer TLB misses (measured: full
            // window 6.6 → 6.1 s, encoder forward 0.44 → 0.39 s, ~10% less resident memory).
            _ = UseHugePages();
            s_configured = TensorPagesMode.Kept;
        }
        else
        {
            // Where glibc's mallopt is missing, huge pages are the next best.
            s_configured = wanted != TensorPagesMode.Default && UseHugePages() ? TensorPagesMode.HugePages : TensorPagesMode.Default;
        }

        return s_configured.Value;
    }

    /// <summary>The mode in force (<see cref="TensorPagesMode.Default"/> in a process that never called <see cref="Configure"/>).</summary>
    public static TensorPagesMode Mode => s_configured ?? TensorPagesMode.Default;

    /// <summary>
    /// Gives the allocator's free memory back to the kernel (<c>malloc_trim</c>) when freed memory is kept; a no-op in
    /// the other modes. For the end of a job: the next job faults its pages in once more, and an idle host holds only
    /// what is alive.
    /// </summary>
    public static void Release()
    {
        if (Mode == TensorPagesMode.Kept)
        {
            _ = MallocTrim(0);
        }
    }

    /// <summary>glibc only (mallopt returns 1 on success).</summary>
    private static bool KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // −1 turns trimming off altogether (mallopt(3)); any finite threshold below the peak of a window (~4 GB at
            // full size) gave the top of the heap back after every window and faulted it in again (measured).
            return MallOpt(MallocMmapMax, 0) == 1 && MallOpt(MallocTrimThreshold, -1) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// libtorch reads its switch once, at its first CPU allocation, from the native environment (which .NET's
    /// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach on Linux, hence setenv).
    /// </summary>
    private static bool UseHugePages()
    {
        if (!OperatingSystem.IsLinux() || !KernelAllowsHugePages())
        {
            return false;
        }

        if (Environment.GetEnvironmentVariable(LibtorchVariable) is null && SetEnv(LibtorchVariable, "1", 0) == 0)
        {
            Environment.SetEnvironmentVariable(LibtorchVariable, "1");
        }

        return Environment.GetEnvironmentVariable(LibtorchVariable) is "1";
    }

    /// <summary>"always" or "madvise" (the kernel setting shows the active one in brackets); "never" turns them off.</summary>
    private static bool KernelAllowsHugePages()
    {
        try
        {
            return File.Exists(KernelSetting) && !File.ReadAllText(KernelSetting).Contains("[never]", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
