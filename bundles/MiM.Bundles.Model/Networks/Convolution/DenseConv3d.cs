using MiM.Bundles.Model.Numerics;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Convolution;

/// <summary>
/// A full k³ Conv3d with stride 1 and padding k/2 (the UNETR decoder's residual blocks, k = 3). On the CPU the path
/// is the one the start-up self-check proved right on this machine (<see cref="CpuKernelGuard"/>): libtorch's own
/// kernel, or <see cref="DenseTapsFunction"/>: one matrix product per kernel tap in both passes.
/// </summary>
public sealed class DenseConv3d : ConvolutionWeights
{
    /// <summary>A k³ convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public DenseConv3d(int inChannels, int outChannels, int kernelSize, bool bias = true)
        : base(nameof(DenseConv3d), nn.Conv3d(inChannels, outChannels, kernelSize, padding: kernelSize / 2, bias: bias))
    {
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Compute(input, Weight, Bias, CpuKernelGuard.PathFor(input, ConvolutionKind.Dense));
    }

    /// <summary>Convolution of <paramref name="input"/> [N, Cin, D, H, W] with <paramref name="weight"/> [Cout, Cin, k, k, k].</summary>
    public static Tensor Compute(Tensor input, Tensor weight, Tensor? bias, ConvolutionPath path)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        var k = weight.shape[2];
        var pad = k / 2;
        if (path == ConvolutionPath.LibTorch)
        {
            return nn.functional.conv3d(input, weight, bias, padding: [pad, pad, pad]);
        }

        return DenseTapsFunction.apply(input, weight, bias!);
    }
}
