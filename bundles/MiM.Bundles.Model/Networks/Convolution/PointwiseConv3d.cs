using MiM.Bundles.Model.Numerics;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Convolution;

/// <summary>
/// A 1×1×1 Conv3d computed as what it is, a matrix product over channels (<c>linear</c> on a channels-last view).
/// The result is a [N, C, D, H, W] view with channels-last strides; element-wise ops that follow do not care.
/// </summary>
public sealed class PointwiseConv3d : ConvolutionWeights
{
    /// <summary>A pointwise convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public PointwiseConv3d(int inChannels, int outChannels, bool bias = true)
        : base(nameof(PointwiseConv3d), nn.Conv3d(inChannels, outChannels, 1, bias: bias))
    {
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => Compute(input, Weight, Bias);

    /// <summary>Pointwise convolution of <paramref name="input"/> [N, Cin, D, H, W] with <paramref name="weight"/> [Cout, Cin, 1, 1, 1].</summary>
    public static Tensor Compute(Tensor input, Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        var result = nn.functional.linear(input.permute(0, 2, 3, 4, 1), weight.flatten(1), bias);
        return ToChannelsFirst(result).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The convolution of a block of channel rows, written into <paramref name="target"/>: target = bias + rows · Wᵀ,
    /// both [rows, C]; the inference paths that work a block of voxels at a time use it instead of whole maps.
    /// </summary>
    internal Tensor ProjectRows(Tensor rows, Tensor target)
    {
        var block = Bias is null ? target.zero_() : target.copy_(Bias.expand(target.shape[0], -1));
        return block.addmm_(rows, Weight.flatten(1).t());
    }

    /// <summary>The convolution of a block of channel rows, added onto <paramref name="target"/>: target += bias + rows · Wᵀ.</summary>
    internal Tensor AddProjectedRows(Tensor rows, Tensor target)
    {
        var block = Bias is null ? target : target.add_(Bias.expand(target.shape[0], -1), CachedScalars.One);
        return block.addmm_(rows, Weight.flatten(1).t());
    }
}
