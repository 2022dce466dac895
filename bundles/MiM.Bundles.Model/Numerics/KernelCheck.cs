using System.Globalization;

namespace MiM.Bundles.Model.Numerics;

/// <summary>
/// One self-check: a convolution of one configuration, at one batch size, through one path, in float32, against the
/// same convolution in float64. Errors are max |fp32 − fp64| over max |fp64| of the output and of each gradient.
/// </summary>
/// <param name="Name">The configuration, e.g. "dense 3³ 12→12 @8³".</param>
/// <param name="Kind">The convolution kind.</param>
/// <param name="Path">The path checked.</param>
/// <param name="Batch">Batch size N.</param>
/// <param name="Forward">Relative error of the output.</param>
/// <param name="InputGradient">Relative error of the input gradient.</param>
/// <param name="WeightGradient">Relative error of the weight gradient.</param>
/// <param name="BiasGradient">Relative error of the bias gradient (0 without bias).</param>
/// <param name="Bf16">True for a check computed in bf16 (judged against <see cref="KernelCheck.Bf16Tolerance"/>).</param>
public sealed record KernelCheck(
    string Name, ConvolutionKind Kind, ConvolutionPath Path, int Batch,
    double Forward, double InputGradient, double WeightGradient, double BiasGradient, bool Bf16 = false)
{
    /// <summary>
    /// Largest relative error accepted. Sums here have at most 1,296 terms; fp32 rounding stays near 1e-6 relative
    /// (measured 1e-7–4e-6 on right kernels), while the broken kernels give 0.1–1 or NaN: 1e-4 separates the two.
    /// </summary>
    public const double Tolerance = 1e-4;

    /// <summary>
    /// Largest relative error accepted in bf16. bf16 keeps 8 significant bits (unit roundoff u = 2⁻⁸ ≈ 3.9e-3); inputs
    /// and weights are rounded once, products are summed in fp32 and the result rounded once more, so a right kernel
    /// stays within a few u of the largest value (measured here: see docs/numerics.md), while the broken kernels give
    /// 0.1–1 or NaN: 8u = 0.031 separates the two.
    /// </summary>
    public const double Bf16Tolerance = 8.0 / 256;

    /// <summary>True when every error is finite and within <see cref="Tolerance"/> (<see cref="Bf16Tolerance"/> for a bf16 check).</summary>
    public bool Passed => Within(Forward) && Within(InputGradient) && Within(WeightGradient) && Within(BiasGradient);

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Name} N={Batch} via {Path}{(Bf16 ? " in bf16" : "")}: output {Forward:E1}, d input {InputGradient:E1}, d weight {WeightGradient:E1}, d bias {BiasGradient:E1}{(Passed ? "" : "  WRONG")}");

    private bool Within(double error) => double.IsFinite(error) && error <= (Bf16 ? Bf16Tolerance : Tolerance);
}
