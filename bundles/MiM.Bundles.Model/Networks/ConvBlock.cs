using MiM.Bundles.Model.Networks.Convolution;
using MiM.Bundles.Model.Numerics;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>
/// A masked conv block of stages 1–3 (<c>blocks1..3.N</c>):
/// x += conv2(attn(v ⊙ conv1(norm1(x)))); x += mlp(norm2(x)), where <c>attn</c> is a depthwise 5³ Conv3d and v the
/// visible-token mask at this stage's resolution. Multiplying by v before the only spatial convolution keeps masked
/// voxels out of visible features, because patch embeddings never overlap token boundaries.
/// </summary>
public sealed class ConvBlock : nn.Module<Tensor, Tensor?, Tensor>
{
    [ComponentName(Name = "norm1")]
    private readonly ChannelLayerNorm _norm1;
    [ComponentName(Name = "conv1")]
    private readonly PointwiseConv3d _conv1;
    [ComponentName(Name = "conv2")]
    private readonly PointwiseConv3d _conv2;
    [ComponentName(Name = "attn")]
    private readonly DepthwiseConv3d _attn;
    [ComponentName(Name = "norm2")]
    private readonly ChannelLayerNorm _norm2;
    [ComponentName(Name = "mlp")]
    private readonly ConvMlp _mlp;

    /// <summary>A block of width <paramref name="channels"/>.</summary>
    /// <param name="channels">Channels C.</param>
    /// <param name="mlpRatio">MLP hidden width as a multiple of C.</param>
    public ConvBlock(int channels, int mlpRatio) : base(nameof(ConvBlock))
    {
        // Registration order = the authors' state-dict order.
        _norm1 = new ChannelLayerNorm(channels, eps: 1e-5);
        _conv1 = new PointwiseConv3d(channels, channels);
        _conv2 = new PointwiseConv3d(channels, channels);
        _attn = new DepthwiseConv3d(channels, 5);
        _norm2 = new ChannelLayerNorm(channels, eps: 1e-5);
        _mlp = new ConvMlp(channels, channels * mlpRatio);
        register_module("norm1", _norm1);
        register_module("conv1", _conv1);
        register_module("conv2", _conv2);
        register_module("attn", _attn);
        register_module("norm2", _norm2);
        register_module("mlp", _mlp);
    }

    /// <summary>Applies the block.</summary>
    /// <param name="input">Features [N, C, H, W, D].</param>
    /// <param name="visible">Visible mask [N, 1, H, W, D] (1 = visible), or null when every token is visible.</param>
    public override Tensor forward(Tensor input, Tensor? visible)
    {
        using var normed1 = _norm1.forward(input);
        using var mixed = _conv1.forward(normed1);
        using var masked = visible is null ? mixed.alias() : mixed * visible;
        using var spatial = _attn.forward(masked);
        using var mixedBack = _conv2.forward(spatial);
        using var afterMixing = input.add(mixedBack, CachedScalars.One);
        using var normed2 = _norm2.forward(afterMixing);
        using var mlpOut = _mlp.forward(normed2);
        return afterMixing.add(mlpOut, CachedScalars.One);
    }
}
