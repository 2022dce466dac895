namespace MiM.Bundles.Model.Numerics;

/// <summary>
/// libtorch computes a convolution wrongly on this machine and no path the model has is right: training or serving
/// would give wrong results, so the process refuses to.
/// </summary>
public sealed class KernelSelfCheckException : Exception
{
    /// <summary>An exception for a failed self-check.</summary>
    public KernelSelfCheckException(KernelCheckReport report)
        : base(Describe(report))
    {
        Report = report;
    }

    /// <summary>An exception for a failed self-check in fp32 or in bf16.</summary>
    /// <param name="report">The self-check's report.</param>
    /// <param name="bf16">True when <paramref name="report"/> is the bf16 self-check's.</param>
    public KernelSelfCheckException(KernelCheckReport report, bool bf16)
        : base(Describe(report, bf16))
    {
        Report = report;
    }

    /// <summary>Standard constructor.</summary>
    public KernelSelfCheckException()
    {
        Report = new KernelCheckReport([], new Dictionary<ConvolutionKind, ConvolutionPath>(), TimeSpan.Zero);
    }

    /// <summary>Standard constructor.</summary>
    public KernelSelfCheckException(string message) : base(message)
    {
        Report = new KernelCheckReport([], new Dictionary<ConvolutionKind, ConvolutionPath>(), TimeSpan.Zero);
    }

    /// <summary>Standard constructor.</summary>
    public KernelSelfCheckException(string message, Exception inner) : base(message, inner)
    {
        Report = new KernelCheckReport([], new Dictionary<ConvolutionKind, ConvolutionPath>(), TimeSpan.Zero);
    }

    /// <summary>Every check that ran.</summary>
    public KernelCheckReport Report { get; }

    private static string Describe(KernelCheckReport report, bool bf16 = false)
    {
        ArgumentNullException.ThrowIfNull(report);
        var wrong = report.Checks.Where(c => !c.Passed && !report.HasRightPath(c.Kind)).Take(6);
        var what = bf16
            ? "libtorch computes 3D convolutions wrongly in bf16 on this CPU and no alternative path is right, so bf16 training "
                + "is refused here; use \"precision\": \"fp32\". Failed checks (bf16 against float64):"
            : "libtorch computes 3D convolutions wrongly on this CPU and no alternative path is right, so the model "
                + "will not train or serve here (the results would be wrong). Failed checks (float32 against float64):";
        return what + Environment.NewLine + string.Join(Environment.NewLine, wrong.Select(c => "  " + c))
            + Environment.NewLine + "See docs/numerics.md; `mim info` prints the whole self-check.";
    }
}
