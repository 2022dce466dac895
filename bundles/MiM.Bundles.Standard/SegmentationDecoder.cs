using MiM.Bundles.Model.Networks.Downstream;
using static TorchSharp.torch;

namespace MiM.Bundles.Standard;

/// <summary>
/// The decoder half of <see cref="MimSegmentationNetwork"/> run on hidden states the encoder computed elsewhere (the
/// shared encoder bundle): the same modules and the same arithmetic as the network's forward after its backbone.
/// </summary>
internal sealed class SegmentationDecoder
{
    private static readonly string[] DecoderNames = ["decoder5", "decoder4", "decoder3", "decoder2", "decoder1"];
    private readonly nn.Module<Tensor, Tensor> _encoder1;
    private readonly nn.Module<Tensor, Tensor> _encoder2;
    private readonly nn.Module<Tensor, Tensor> _encoder3;
    private readonly nn.Module<Tensor, Tensor> _encoder4;
    private readonly nn.Module<Tensor, Tensor>? _encoder5;
    private readonly nn.Module<Tensor, Tensor> _encoder10;
    private readonly nn.Module<Tensor, Tensor, Tensor>[] _decoders;
    private readonly nn.Module<Tensor, Tensor> _out;

    public SegmentationDecoder(MimSegmentationNetwork network)
    {
        var children = network.named_children().ToDictionary(c => c.name, c => c.module);
        _encoder1 = Unary(children, "encoder1");
        _encoder2 = Unary(children, "encoder2");
        _encoder3 = Unary(children, "encoder3");
        _encoder4 = Unary(children, "encoder4");
        _encoder5 = children.ContainsKey("encoder5") ? Unary(children, "encoder5") : null;
        _encoder10 = Unary(children, "encoder10");
        _decoders = [.. DecoderNames.Select(n => (nn.Module<Tensor, Tensor, Tensor>)children[n])];
        _out = Unary(children, "out");
    }

    /// <summary>Logits [B, classes, r, r, r] of the input windows <paramref name="input"/> from their hidden states.</summary>
    public Tensor Decode(Tensor input, Tensor[] hidden)
    {
        using var scope = NewDisposeScope();
        var enc0 = _encoder1.forward(input);
        var enc1 = _encoder2.forward(NormalizeChannels(hidden[0]));
        var enc2 = _encoder3.forward(NormalizeChannels(hidden[1]));
        var enc3 = _encoder4.forward(NormalizeChannels(hidden[2]));
        var tokens = NormalizeChannels(hidden[4]);
        var skip4 = _encoder5 is null ? tokens : _encoder5.forward(tokens);
        var dec4 = _encoder10.forward(NormalizeChannels(hidden[5]));
        var dec3 = _decoders[0].forward(dec4, skip4);
        var dec2 = _decoders[1].forward(dec3, enc3);
        var dec1 = _decoders[2].forward(dec2, enc2);
        var dec0 = _decoders[3].forward(dec1, enc1);
        return _out.forward(_decoders[4].forward(dec0, enc0)).MoveToOuterDisposeScope();
    }

    private static nn.Module<Tensor, Tensor> Unary(Dictionary<string, nn.Module> children, string name) => (nn.Module<Tensor, Tensor>)children[name];

    private static Tensor NormalizeChannels(Tensor map)
    {
        var channels = map.shape[1];
        var last = map.permute(0, 2, 3, 4, 1);
        return nn.functional.layer_norm(last, [channels], null, null, 1e-5).permute(0, 4, 1, 2, 3);
    }
}
