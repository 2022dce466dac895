using MiM.Bundles.Model.Numerics;
using MiM.Bundles.Model.Networks.Convolution;
using MiM.Bundles.Model.Configuration;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Downstream;

/// <summary>
/// The MiM segmentation network (MIM_SPEC.md section 6, the authors' ConvViT3dUNETR): the downstream encoder under
/// <c>backbone.</c>, a non-affine channel LayerNorm on each encoder feature map, and a SwinUNETR-style decoder of
/// residual UNETR blocks with instance norm. With feature size F and ROI S the skips are the raw image (F at S),
/// the three conv stages (F, 2F, 4F at S/2, S/4, S/8), the ViT token map (8F at S/16) and the extra stage (16F at
/// S/32); a 1×1×1 conv gives the class logits. Weights are drawn from the global generator: seed it first.
/// </summary>
public sealed class MimSegmentationNetwork : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "backbone")]
    private readonly MimDownstreamEncoder _backbone;
    [ComponentName(Name = "encoder1")]
    private readonly UnetResBlock _encoder1;
    [ComponentName(Name = "encoder2")]
    private readonly UnetResBlock _encoder2;
    [ComponentName(Name = "encoder3")]
    private readonly UnetResBlock _encoder3;
    [ComponentName(Name = "encoder4")]
    private readonly UnetResBlock _encoder4;
    [ComponentName(Name = "encoder5")]
    private readonly UnetResBlock? _encoder5;
    [ComponentName(Name = "encoder10")]
    private readonly UnetResBlock _encoder10;
    [ComponentName(Name = "decoder5")]
    private readonly UnetrUpBlock _decoder5;
    [ComponentName(Name = "decoder4")]
    private readonly UnetrUpBlock _decoder4;
    [ComponentName(Name = "decoder3")]
    private readonly UnetrUpBlock _decoder3;
    [ComponentName(Name = "decoder2")]
    private readonly UnetrUpBlock _decoder2;
    [ComponentName(Name = "decoder1")]
    private readonly UnetrUpBlock _decoder1;
    [ComponentName(Name = "out")]
    private readonly PointwiseConv3d _out;

    /// <summary>Builds the network.</summary>
    /// <param name="config">Backbone sizes (as pre-trained).</param>
    /// <param name="options">Classes, ROI, feature size, ViT-block options.</param>
    public MimSegmentationNetwork(MimNetworkConfig config, DownstreamOptions options) : base(nameof(MimSegmentationNetwork))
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        using var construction = new ConstructionScope();
        options.Validate(config);
        Config = config;
        Options = options;
        var dims = config.EmbedDims;
        var f = options.FeatureSizeFor(config);

        _backbone = new MimDownstreamEncoder(config, options);
        register_module("backbone", _backbone);
        _encoder1 = new UnetResBlock(config.InChannels, f);
        _encoder2 = new UnetResBlock(dims[0], f);
        _encoder3 = new UnetResBlock(dims[1], 2 * f);
        _encoder4 = new UnetResBlock(dims[2], 4 * f);
        register_module("encoder1", _encoder1);
        register_module("encoder2", _encoder2);
        register_module("encoder3", _encoder3);
        register_module("encoder4", _encoder4);

        // SwinUNETR feeds the token map to the decoder as is; only when its width is not 8F does it need a block.
        if (dims[3] != 8 * f)
        {
            _encoder5 = new UnetResBlock(dims[3], 8 * f);
            register_module("encoder5", _encoder5);
        }

        _encoder10 = new UnetResBlock(_backbone.ExtraChannels, 16 * f);
        register_module("encoder10", _encoder10);
        _decoder5 = new UnetrUpBlock(16 * f, 8 * f);
        _decoder4 = new UnetrUpBlock(8 * f, 4 * f);
        _decoder3 = new UnetrUpBlock(4 * f, 2 * f);
        _decoder2 = new UnetrUpBlock(2 * f, f);
        _decoder1 = new UnetrUpBlock(f, f);
        register_module("decoder5", _decoder5);
        register_module("decoder4", _decoder4);
        register_module("decoder3", _decoder3);
        register_module("decoder2", _decoder2);
        register_module("decoder1", _decoder1);
        _out = new PointwiseConv3d(f, options.Classes);
        register_module("out", _out);
        construction.Keep(this);
    }

    /// <summary>Backbone sizes.</summary>
    public MimNetworkConfig Config { get; }

    /// <summary>Downstream options.</summary>
    public DownstreamOptions Options { get; }

    /// <summary>Input edge S (the network takes S³ windows).</summary>
    public int Roi => _backbone.Roi;

    /// <summary>Output channels (classes including background).</summary>
    public int Classes => Options.Classes;

    /// <summary>The encoder, whose parameters are named <c>backbone.*</c> in this network's state dict.</summary>
    public MimDownstreamEncoder Backbone => _backbone;

    /// <summary>Class logits.</summary>
    /// <param name="input">[B, C, S, S, S].</param>
    /// <returns>[B, Classes, S, S, S].</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var hidden = _backbone.forward(input);
        var enc0 = _encoder1.forward(input);
        var enc1 = _encoder2.forward(NormalizeChannels(hidden.Stage1));
        var enc2 = _encoder3.forward(NormalizeChannels(hidden.Stage2));
        var enc3 = _encoder4.forward(NormalizeChannels(hidden.Stage3));
        var tokens = NormalizeChannels(hidden.TokenMap);
        var skip4 = _encoder5 is null ? tokens : _encoder5.forward(tokens);
        var dec4 = _encoder10.forward(NormalizeChannels(hidden.Extra));
        var dec3 = _decoder5.forward(dec4, skip4);
        var dec2 = _decoder4.forward(dec3, enc3);
        var dec1 = _decoder3.forward(dec2, enc2);
        var dec0 = _decoder2.forward(dec1, enc1);
        var outFeatures = _decoder1.forward(dec0, enc0);
        return _out.forward(outFeatures).MoveToOuterDisposeScope();
    }

    /// <summary>LayerNorm over channels without affine parameters (SwinUNETR's <c>proj_out(normalize=True)</c>).</summary>
    private static Tensor NormalizeChannels(Tensor map)
    {
        var channels = map.shape[1];
        var last = map.permute(0, 2, 3, 4, 1);
        return nn.functional.layer_norm(last, [channels], null, null, 1e-5).permute(0, 4, 1, 2, 3);
    }
}
