using MiM.Bundles.Model.Numerics;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Convolution;

/// <summary>
/// The conv blocks' depthwise k³ Conv3d (<c>attn</c>, k = 5, padding k/2, one filter per channel). On the CPU the
/// path is the one the start-up self-check proved right on this machine (<see cref="CpuKernelGuard"/>): libtorch's
/// own kernels, libtorch's forward kernel for the output and the input gradient (<see cref="ConvolutionPath.Adjoint"/>),
/// or an explicit sum over the k³ taps (slow; the last resort).
/// </summary>
public sealed class DepthwiseConv3d : ConvolutionWeights
{
    /// <summary>A depthwise convolution over <paramref name="channels"/> channels with a cubic kernel.</summary>
    public DepthwiseConv3d(int channels, int kernelSize)
        : base(nameof(DepthwiseConv3d), nn.Conv3d(channels, channels, kernelSize, padding: kernelSize / 2, groups: channels))
    {
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Compute(input, Weight, Bias, CpuKernelGuard.PathFor(input, ConvolutionKind.Depthwise));
    }

    /// <summary>Depthwise convolution of <paramref name="input"/> [N, C, D, H, W] with <paramref name="weight"/> [C, 1, k, k, k].</summary>
    public static Tensor Compute(Tensor input, Tensor weight, Tensor? bias, ConvolutionPath path)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        var k = weight.shape[2];
        var pad = k / 2;
        if (path == ConvolutionPath.LibTorch)
        {
            return nn.functional.conv3d(input, weight, bias, padding: [pad, pad, pad], groups: input.shape[1]);
        }

        if (path == ConvolutionPath.Adjoint)
        {
            return DepthwiseAdjointFunction.apply(input, weight, bias!);
        }

        using var scope = NewDisposeScope();
        long d = input.shape[2], h = input.shape[3], w = input.shape[4];
        var padded = nn.functional.pad(input.permute(0, 2, 3, 4, 1), [0, 0, pad, pad, pad, pad, pad, pad]);
        var taps = weight.view(weight.shape[0], k, k, k).permute(1, 2, 3, 0);        // [k, k, k, C]
        Tensor? sum = null;
        for (var a = 0; a < k; a++)
        {
            for (var b = 0; b < k; b++)
            {
                for (var c = 0; c < k; c++)
                {
                    var shifted = padded[.., a..(int)(a + d), b..(int)(b + h), c..(int)(c + w), ..];
                    var tap = taps[a, b, c];
                    sum = sum is null ? shifted * tap : sum.addcmul_(shifted, tap, CachedScalars.One);
                }
            }
        }

        if (bias is not null)
        {
            sum!.add_(bias, CachedScalars.One);
        }

        return ToChannelsFirst(sum!).MoveToOuterDisposeScope();
    }
}
