using MiM.Bundles.Model.Networks.Convolution;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Downstream;

/// <summary>
/// MONAI's <c>UnetrUpBlock</c>: a stride-2 transposed conv (k=2, no bias) doubles the resolution, the skip is
/// concatenated, and a <see cref="UnetResBlock"/> brings 2·out channels back to out.
/// </summary>
public sealed class UnetrUpBlock : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "transp_conv")]
    private readonly PatchConvTranspose3d _transpConv;
    [ComponentName(Name = "conv_block")]
    private readonly UnetResBlock _convBlock;

    /// <summary>An up-block from <paramref name="inChannels"/> to <paramref name="outChannels"/>; the skip has <paramref name="outChannels"/>.</summary>
    public UnetrUpBlock(int inChannels, int outChannels) : base(nameof(UnetrUpBlock))
    {
        _transpConv = new PatchConvTranspose3d(inChannels, outChannels, 2, bias: false);
        _convBlock = new UnetResBlock(outChannels * 2, outChannels);
        register_module("transp_conv", _transpConv);
        register_module("conv_block", _convBlock);
    }

    /// <summary>Upsamples <paramref name="input"/> and fuses <paramref name="skip"/>.</summary>
    public override Tensor forward(Tensor input, Tensor skip)
    {
        using var up = _transpConv.forward(input);
        using var joined = cat([up, skip], 1);
        return _convBlock.forward(joined);
    }
}
