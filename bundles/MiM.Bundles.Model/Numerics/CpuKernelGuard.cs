using static TorchSharp.torch;

namespace MiM.Bundles.Model.Numerics;

/// <summary>
/// Runs <see cref="KernelSelfCheck"/> once per process, before the first convolution on the CPU, and answers which
/// path each convolution kind takes there. When no path of some kind is right, every use of it throws
/// <see cref="KernelSelfCheckException"/>: a wrong model must not train or serve. Other devices keep libtorch's kernels.
/// </summary>
public static class CpuKernelGuard
{
    private static readonly Lazy<KernelCheckReport> Checked = new(KernelSelfCheck.Run, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The self-check's report (running it if it has not run yet).</summary>
    public static KernelCheckReport Report => Checked.Value;

    /// <summary>Runs the self-check if needed and throws when some convolution kind has no right path on this CPU.</summary>
    /// <exception cref="KernelSelfCheckException">A convolution kind computes wrongly on every path.</exception>
    public static KernelCheckReport EnsurePassed()
    {
        var report = Checked.Value;
        return report.Passed ? report : throw new KernelSelfCheckException(report);
    }

    /// <summary>The path a convolution of <paramref name="kind"/> on <paramref name="input"/>'s device takes.</summary>
    /// <exception cref="KernelSelfCheckException">On the CPU, when <paramref name="kind"/> has no right path.</exception>
    public static ConvolutionPath PathFor(Tensor input, ConvolutionKind kind)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.device_type != TorchSharp.DeviceType.CPU)
        {
            return ConvolutionPath.LibTorch;
        }

        var report = Checked.Value;
        return report.Paths.TryGetValue(kind, out var path) ? path : throw new KernelSelfCheckException(report);
    }
}
