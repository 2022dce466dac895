using System.Diagnostics;
using MiM.Bundles.Model.Networks.Convolution;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Numerics;

/// <summary>
/// Checks, on this machine's CPU, every convolution kind the networks use — forward and backward, batch 1 and 2,
/// contiguous and channels-last inputs, channel counts that are and are not multiples of 16 — in float32 against the
/// same convolution in float64 (libtorch's float64 convolutions are its own reference loops, not oneDNN's), and chooses
/// for each kind a path whose checks all passed. About a second on 2 cores.
/// </summary>
public static class KernelSelfCheck
{
    private sealed record Configuration(string Name, ConvolutionKind Kind, int In, int Out, int Kernel, int Size, bool Bias);

    // The shapes the unit-size networks use, at small spatial sizes: oneDNN picks its kernel by channel count, kernel
    // and batch, not by spatial size, and these are the combinations that went wrong on an AVX-512 AMD CPU.
    private static readonly Configuration[] Configurations =
    [
        new("pointwise 12→48 @8³", ConvolutionKind.Pointwise, 12, 48, 1, 8, true),
        new("pointwise 48→12 @8³", ConvolutionKind.Pointwise, 48, 12, 1, 8, true),
        new("pointwise 24→24 @4³", ConvolutionKind.Pointwise, 24, 24, 1, 4, false),
        new("patch k2 1→12 @16³", ConvolutionKind.Patch, 1, 12, 2, 16, true),
        new("patch k2 24→48 @8³", ConvolutionKind.Patch, 24, 48, 2, 8, true),
        new("patch k4 24→96 @8³", ConvolutionKind.Patch, 24, 96, 4, 8, true),
        new("transposed k2 48→24 @4³", ConvolutionKind.PatchTransposed, 48, 24, 2, 4, false),
        new("transposed k2 24→12 @8³", ConvolutionKind.PatchTransposed, 24, 12, 2, 8, false),
        new("depthwise 5³ 12 @8³", ConvolutionKind.Depthwise, 12, 12, 5, 8, true),
        new("depthwise 5³ 24 @8³", ConvolutionKind.Depthwise, 24, 24, 5, 8, true),
        new("depthwise 5³ 48 @4³", ConvolutionKind.Depthwise, 48, 48, 5, 4, true),
        new("dense 3³ 1→12 @16³", ConvolutionKind.Dense, 1, 12, 3, 16, false),
        new("dense 3³ 12→12 @8³", ConvolutionKind.Dense, 12, 12, 3, 8, false),
        new("dense 3³ 24→12 @8³", ConvolutionKind.Dense, 24, 12, 3, 8, false),
        new("dense 3³ 48→24 @4³", ConvolutionKind.Dense, 48, 24, 3, 4, false),
    ];

    /// <summary>Runs every check and chooses a path per kind (libtorch's where it is right, else the explicit one).</summary>
    public static KernelCheckReport Run() => Run(ScalarType.Float32);

    /// <summary>
    /// The same checks in bf16, choosing bf16's own path per kind (judged against <see cref="KernelCheck.Bf16Tolerance"/>):
    /// the precondition for bf16 training on this CPU, run only when bf16 is asked for. On an AVX-512 AMD CPU the
    /// adjoint depthwise path, right in fp32, gave a wrong bf16 weight gradient (libtorch's bf16 weight-gradient kernel).
    /// </summary>
    public static KernelCheckReport RunBf16() => Run(ScalarType.BFloat16);

    private static KernelCheckReport Run(ScalarType dtype)
    {
        var clock = Stopwatch.StartNew();
        var checks = new List<KernelCheck>();
        var paths = new Dictionary<ConvolutionKind, ConvolutionPath>();
        using (enable_grad())
        {
            foreach (var kind in Enum.GetValues<ConvolutionKind>())
            {
                foreach (var path in CandidatePaths(kind))
                {
                    var ofPath = Configurations.Where(c => c.Kind == kind).SelectMany(c => CheckAll(c, path, dtype)).ToList();
                    checks.AddRange(ofPath);
                    if (ofPath.All(c => c.Passed))
                    {
                        paths[kind] = path;
                        break;
                    }
                }
            }
        }

        return new KernelCheckReport(checks, paths, clock.Elapsed);
    }

    /// <summary>The paths a kind can take, preferred first. The matrix-product kinds have only their explicit form.</summary>
    public static IReadOnlyList<ConvolutionPath> CandidatePaths(ConvolutionKind kind) => kind switch
    {
        ConvolutionKind.Depthwise => [ConvolutionPath.LibTorch, ConvolutionPath.Adjoint, ConvolutionPath.Explicit],
        ConvolutionKind.Dense => [ConvolutionPath.LibTorch, ConvolutionPath.Explicit],
        _ => [ConvolutionPath.Explicit],
    };

    /// <summary>Computes a convolution of <paramref name="kind"/> through <paramref name="path"/>.</summary>
    public static Tensor Convolve(ConvolutionKind kind, ConvolutionPath path, Tensor input, Tensor weight, Tensor? bias) => kind switch
    {
        ConvolutionKind.Pointwise => PointwiseConv3d.Compute(input, weight, bias),
        ConvolutionKind.Patch => PatchConv3d.Compute(input, weight, bias),
        ConvolutionKind.PatchTransposed => PatchConvTranspose3d.Compute(input, weight, bias),
        ConvolutionKind.Depthwise => DepthwiseConv3d.Compute(input, weight, bias, path),
        ConvolutionKind.Dense => DenseConv3d.Compute(input, weight, bias, path),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The float64 reference: libtorch's own convolution loops, which oneDNN does not implement for float64.</summary>
    public static Tensor Reference(ConvolutionKind kind, Tensor input, Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        var k = weight.shape[2];
        return kind switch
        {
            ConvolutionKind.Pointwise => nn.functional.conv3d(input, weight, bias),
            ConvolutionKind.Patch => nn.functional.conv3d(input, weight, bias, strides: [k, k, k]),
            ConvolutionKind.PatchTransposed => nn.functional.conv_transpose3d(input, weight, bias, strides: [k, k, k]),
            ConvolutionKind.Depthwise => nn.functional.conv3d(input, weight, bias, padding: [k / 2, k / 2, k / 2], groups: input.shape[1]),
            ConvolutionKind.Dense => nn.functional.conv3d(input, weight, bias, padding: [k / 2, k / 2, k / 2]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static IEnumerable<KernelCheck> CheckAll(Configuration configuration, ConvolutionPath path, ScalarType dtype)
    {
        foreach (var batch in new[] { 1, 2 })
        {
            foreach (var channelsLast in new[] { false, true })
            {
                yield return Check(configuration, path, batch, channelsLast, dtype);
            }
        }
    }

    private static KernelCheck Check(Configuration configuration, ConvolutionPath path, int batch, bool channelsLast, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator((ulong)(1234 + batch), device: CPU);
        var (cin, cout, k, s) = (configuration.In, configuration.Out, configuration.Kernel, configuration.Size);
        long[] weightShape = configuration.Kind switch
        {
            ConvolutionKind.PatchTransposed => [cin, cout, k, k, k],
            ConvolutionKind.Depthwise => [cout, 1, k, k, k],
            _ => [cout, cin, k, k, k],
        };
        var input64 = randn([batch, cin, s, s, s], dtype: float64, generator: generator);
        // Held through the call: a temporary Scalar can be finalized while libtorch reads it.
        using var fanIn = Math.Sqrt(weightShape[1] * k * k * k).ToScalar();
        var weight64 = randn(weightShape, dtype: float64, generator: generator).div_(fanIn);
        var bias64 = configuration.Bias ? randn([cout], dtype: float64, generator: generator) : null;

        var input32 = input64.to(dtype);
        if (channelsLast)
        {
            // The layout the networks' channel LayerNorm and pointwise convolutions hand on: channels-last strides.
            input32 = input32.permute(0, 2, 3, 4, 1).contiguous().permute(0, 4, 1, 2, 3);
        }

        var weight32 = weight64.to(dtype);
        var bias32 = bias64?.to(dtype);
        foreach (var leaf in new[] { input64, weight64, bias64, input32, weight32, bias32 })
        {
            leaf?.requires_grad_();
        }

        var output64 = Reference(configuration.Kind, input64, weight64, bias64);
        var output32 = Convolve(configuration.Kind, path, input32, weight32, bias32);
        var upstream = randn(output64.shape, dtype: float64, generator: generator);
        output64.mul(upstream).sum().backward();
        output32.mul(upstream.to(dtype)).sum().backward();

        return new KernelCheck(
            configuration.Name, configuration.Kind, path, batch,
            RelativeError(output32, output64),
            RelativeError(input32.grad, input64.grad),
            RelativeError(weight32.grad, weight64.grad),
            bias64 is null ? 0 : RelativeError(bias32!.grad, bias64.grad),
            Bf16: dtype == ScalarType.BFloat16);
    }

    private static double RelativeError(Tensor? value, Tensor? reference)
    {
        if (value is null || reference is null)
        {
            return double.NaN;
        }

        using var scope = NewDisposeScope();
        var scale = reference.abs().max().item<double>();
        var error = value.to(float64).sub(reference).abs().max().item<double>();
        return error / Math.Max(scale, double.Epsilon);
    }
}
