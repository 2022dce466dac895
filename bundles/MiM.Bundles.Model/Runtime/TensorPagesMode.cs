namespace MiM.Bundles.Model.Runtime;

/// <summary>How libtorch's large CPU tensors get their memory pages in this process.</summary>
public enum TensorPagesMode
{
    /// <summary>4 KiB pages, each faulted in on first touch (libtorch's default; or turned off, or no way to change it here).</summary>
    Default,

    /// <summary>Tensors of 2 MiB or more are 2 MiB-aligned and advised to use transparent huge pages.</summary>
    HugePages,

    /// <summary>
    /// glibc keeps freed tensor memory mapped and hands it to the next tensor: no page faults once a window or step has
    /// run; <see cref="TensorPages.Release"/> gives the free part back to the kernel when a job is done.
    /// </summary>
    Kept,
}
