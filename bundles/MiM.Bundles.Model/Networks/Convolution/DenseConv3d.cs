using MiM.Bundles.Model.Numerics;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Convolution;

/// <summary>
/// A full k³ Conv3d with stride 1 and padding k/2 (the UNETR decoder's residual blocks, k = 3). On the CPU the path
/// is the one the start-up self-check proved right on this machine (<see cref="CpuKernelGuard"/>): libtorch's own
/// kernel, or an explicit im2col (unfold) and one matrix product per slab of output planes.
/// </summary>
public sealed class DenseConv3d : ConvolutionWeights
{
    // Unfolded columns per slab (floats): bounds the im2col copy at about 256 MB for large volumes.
    private const long ColumnBudget = 64L * 1024 * 1024;

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

        using var scope = NewDisposeScope();
        long n = input.shape[0], c = input.shape[1], d = input.shape[2], h = input.shape[3], w = input.shape[4];
        var padded = nn.functional.pad(input.permute(0, 2, 3, 4, 1), [0, 0, pad, pad, pad, pad, pad, pad]);
        var matrix = weight.flatten(1);                                                 // [Cout, Cin·k³] (in, kd, kh, kw)
        var planesPerSlab = Math.Max(1L, ColumnBudget / Math.Max(1L, n * h * w * c * k * k * k));
        var slabs = new List<Tensor>();
        for (long start = 0; start < d; start += planesPerSlab)
        {
            var planes = Math.Min(planesPerSlab, d - start);
            var rows = padded[.., (int)start..(int)(start + planes + 2 * pad)];
            // unfold appends the window as the last dimension: [N, planes, H, W, Cin, kd, kh, kw].
            var columns = rows.unfold(1, k, 1).unfold(2, k, 1).unfold(3, k, 1).reshape(n, planes, h, w, c * k * k * k);
            slabs.Add(nn.functional.linear(columns, matrix, bias));
        }

        var result = slabs.Count == 1 ? slabs[0] : cat(slabs, 1);
        return ToChannelsFirst(result).MoveToOuterDisposeScope();
    }
}
