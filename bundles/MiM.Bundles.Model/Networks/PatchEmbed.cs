using MiM.Bundles.Model.Networks.Convolution;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>
/// One stride-2 patch embedding <c>patch_embed1..4</c>: Conv3d(k=2, s=2) → channel LayerNorm (eps 1e-5) → exact GELU.
/// </summary>
public sealed class PatchEmbed : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "proj")]
    private readonly PatchConv3d _proj;
    [ComponentName(Name = "norm")]
    private readonly ChannelLayerNorm _norm;

    /// <summary>A patch embedding from <paramref name="inChannels"/> to <paramref name="outChannels"/> channels.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="patchSize">Kernel size and stride.</param>
    public PatchEmbed(int inChannels, int outChannels, int patchSize = 2) : base(nameof(PatchEmbed))
    {
        _proj = new PatchConv3d(inChannels, outChannels, patchSize);
        _norm = new ChannelLayerNorm(outChannels, eps: 1e-5);
        register_module("proj", _proj);
        register_module("norm", _norm);
    }

    /// <summary>The convolution (its weight is the only conv weight the authors re-initialise).</summary>
    public PatchConv3d Proj => _proj;

    /// <summary>The channel LayerNorm.</summary>
    public ChannelLayerNorm Norm => _norm;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var projected = _proj.forward(input);
        using var normed = _norm.forward(projected);
        return ChannelsLastGelu.Apply(normed);
    }
}
