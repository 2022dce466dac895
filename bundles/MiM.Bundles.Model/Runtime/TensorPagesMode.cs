namespace MiM.Bundles.Model.Runtime;

/// <summary>How libtorch's large CPU tensors get their memory pages in this process.</summary>
public enum TensorPagesMode
{
    /// <summary>4 KiB pages, each faulted in on first touch (libtorch's default; or turned off, or no huge pages here).</summary>
    Default,

    /// <summary>Tensors of 2 MiB or more are 2 MiB-aligned and advised to use transparent huge pages.</summary>
    HugePages,
}
