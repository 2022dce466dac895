using MiM.Bundles.Model.Networks.Convolution;
using MiM.Bundles.Model.Numerics;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Downstream;

/// <summary>
/// MONAI's <c>UnetResBlock</c> (the residual UNETR block): conv3³ → instance norm → LeakyReLU(0.01) → conv3³ → instance
/// norm, plus the input (through a 1×1×1 conv + instance norm when the width changes), → LeakyReLU. Convs have no bias;
/// instance norm is not affine (MONAI's "instance").
/// </summary>
public sealed class UnetResBlock : nn.Module<Tensor, Tensor>
{
    // Held for the process: a temporary Scalar can be finalized while libtorch reads it (docs/numerics.md).
    private static readonly Scalar Slope = 0.01.ToScalar();

    [ComponentName(Name = "conv1")]
    private readonly DenseConv3d _conv1;
    [ComponentName(Name = "conv2")]
    private readonly DenseConv3d _conv2;
    [ComponentName(Name = "conv3")]
    private readonly PointwiseConv3d? _conv3;

    /// <summary>A block from <paramref name="inChannels"/> to <paramref name="outChannels"/> at the same resolution.</summary>
    public UnetResBlock(int inChannels, int outChannels) : base(nameof(UnetResBlock))
    {
        _conv1 = new DenseConv3d(inChannels, outChannels, 3, bias: false);
        _conv2 = new DenseConv3d(outChannels, outChannels, 3, bias: false);
        register_module("conv1", _conv1);
        register_module("conv2", _conv2);
        if (inChannels != outChannels)
        {
            _conv3 = new PointwiseConv3d(inChannels, outChannels, bias: false);
            register_module("conv3", _conv3);
        }
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var x = InstanceNorm.Apply(_conv1.forward(input)).leaky_relu(Slope);
        x = InstanceNorm.Apply(_conv2.forward(x));
        var residual = _conv3 is null ? input : InstanceNorm.Apply(_conv3.forward(input));
        return x.add(residual, CachedScalars.One).leaky_relu(Slope).MoveToOuterDisposeScope();
    }
}
