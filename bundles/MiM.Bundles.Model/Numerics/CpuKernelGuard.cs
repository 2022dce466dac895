using static TorchSharp.torch;

namespace MiM.Bundles.Model.Numerics;

/// <summary>
/// Runs <see cref="KernelSelfCheck"/> once per process, before the first convolution on the CPU, and answers which
/// path each convolution kind takes there (bf16 tensors by a separate bf16 self-check, run on first use). When no path of some kind is right, every use of it throws
/// <see cref="KernelSelfCheckException"/>: a wrong model must not train or serve. Other devices keep libtorch's kernels.
/// </summary>
public static class CpuKernelGuard
{
    private static readonly Lazy<KernelCheckReport> Checked = new(KernelSelfCheck.Run, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<KernelCheckReport> CheckedBf16 = new(KernelSelfCheck.RunBf16, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The self-check's report (running it if it has not run yet).</summary>
    public static KernelCheckReport Report => Checked.Value;

    /// <summary>Runs the self-check if needed and throws when some convolution kind has no right path on this CPU.</summary>
    /// <exception cref="KernelSelfCheckException">A convolution kind computes wrongly on every path.</exception>
    public static KernelCheckReport EnsurePassed()
    {
        var report = Checked.Value;
        return report.Passed ? report : throw new KernelSelfCheckException(report);
    }

    /// <summary>The bf16 self-check's report (running it if it has not run yet; only bf16 training asks for it).</summary>
    public static KernelCheckReport Bf16Report => CheckedBf16.Value;

    /// <summary>Throws unless every convolution kind has a path that is right in bf16 on this CPU: bf16 trains on the CPU only then.</summary>
    /// <exception cref="KernelSelfCheckException">A kind computes wrongly in bf16 on every path.</exception>
    public static KernelCheckReport EnsureBf16Passed()
    {
        var report = CheckedBf16.Value;
        return report.Passed ? report : throw new KernelSelfCheckException(report, bf16: true);
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

        // bf16 has its own paths: a path right in fp32 can be wrong in bf16 (and the other way round).
        var bf16 = input.dtype == ScalarType.BFloat16;
        var report = bf16 ? CheckedBf16.Value : Checked.Value;
        return report.Paths.TryGetValue(kind, out var path) ? path : throw new KernelSelfCheckException(report, bf16);
    }
}
