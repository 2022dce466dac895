using System.Runtime.InteropServices;

namespace MiM.Bundles.Model.Runtime;

/// <summary>
/// Gives libtorch's large CPU tensors transparent huge pages. glibc serves every tensor above its mmap threshold (at
/// most 32 MiB) with a fresh mapping, so each large activation of a forward pass is faulted in again, one fault per
/// 4 KiB page; on virtual machines a fault costs ~9 µs, which made a fresh 85 MB tensor cost ~190 ms to fill and the
/// full encoder forward 2.4× slower (bench/README.md, issue 15). libtorch's own switch THP_MEM_ALLOC_ENABLE aligns
/// tensors of 2 MiB or more to 2 MiB and advises huge pages: one fault per 2 MiB (measured here on an 85 MB buffer:
/// ~300 faults and 8–19 ms instead of ~21,800 faults and ~400 ms). Freed tensors still go back to the kernel, so
/// resident memory follows the working set. (Making glibc keep freed memory instead — GLIBC_TUNABLES mmap_max=0 —
/// was measured too and rejected: libtorch's 64-byte-aligned requests cannot reuse a freed chunk of the same size, so
/// the heap grew to ~6× the working set before it stopped faulting.)
/// </summary>
public static partial class TensorPages
{
    /// <summary>Set to <c>default</c> to leave libtorch's allocation as it is (for comparisons and diagnosis).</summary>
    public const string ModeVariable = "MIM_TENSOR_PAGES";

    private const string LibtorchVariable = "THP_MEM_ALLOC_ENABLE";
    private const string KernelSetting = "/sys/kernel/mm/transparent_hugepage/enabled";

    /// <summary>
    /// For an executable's Main, before the first tensor: libtorch reads its switch once, at its first CPU allocation,
    /// from the native environment (which .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does
    /// not reach on Linux, hence setenv).
    /// </summary>
    public static TensorPagesMode UseHugePages()
    {
        if (OperatingSystem.IsLinux() && !OptedOut() && KernelAllowsHugePages() && Environment.GetEnvironmentVariable(LibtorchVariable) is null)
        {
            if (SetEnv(LibtorchVariable, "1", 0) == 0)
            {
                Environment.SetEnvironmentVariable(LibtorchVariable, "1");
            }
        }

        return Mode;
    }

    /// <summary>The mode in force (as far as the environment and the kernel's setting tell).</summary>
    public static TensorPagesMode Mode =>
        OperatingSystem.IsLinux() && KernelAllowsHugePages() && Environment.GetEnvironmentVariable(LibtorchVariable) is "1"
            ? TensorPagesMode.HugePages
            : TensorPagesMode.Default;

    private static bool OptedOut() => string.Equals(Environment.GetEnvironmentVariable(ModeVariable), "default", StringComparison.Ordinal);

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
}
