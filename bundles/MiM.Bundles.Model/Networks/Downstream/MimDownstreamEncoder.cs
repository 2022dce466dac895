using MiM.Bundles.Model.Numerics;
using MiM.Bundles.Model.Networks.Convolution;
using MiM.Bundles.Model.Configuration;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Downstream;

/// <summary>
/// The MiM backbone as fine-tuning uses it (MIM_SPEC.md section 6): the pre-training patch embeddings and conv blocks
/// run on every token (no mask), a learnable position embedding (initialised with the fixed sin-cos one, replaced by a
/// checkpoint's), ViT blocks with relative position bias / LayerScale / drop-path, and the extra stage <c>fpn</c>
/// (Conv3d(D→2D, k=s=2) → channel LayerNorm → GELU). Parameter names are the pre-training ones, so encoder weights
/// load by name; the pre-training-only parts (final norm, fusion convs, MAE decoder, projectors) do not exist here.
/// </summary>
/// <remarks>
/// The authors' <c>fpn.1</c> is a BatchNorm; a LayerNorm over channels is used instead because at a 32³ ROI the extra
/// stage is a single voxel, where batch and instance statistics of one sample are undefined.
/// </remarks>
public sealed class MimDownstreamEncoder : nn.Module<Tensor, EncoderHiddenStates>
{
    private const int ConvStages = 3;

    [ComponentName(Name = "pos_embed")]
    private readonly Parameter _posEmbed;
    private readonly PatchEmbed[] _patchEmbeds;
    [ComponentName(Name = "patch_embed5")]
    private readonly Linear _patchEmbed5;
    private readonly ModuleList<ConvBlock>[] _convBlocks;
    [ComponentName(Name = "blocks4")]
    private readonly ModuleList<DownstreamVitBlock> _vitBlocks;
    [ComponentName(Name = "fpn")]
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _fpn;

    /// <summary>Builds the encoder for the options' ROI and initialises it as pre-training does.</summary>
    /// <param name="config">Backbone sizes.</param>
    /// <param name="options">ROI, bias, LayerScale, drop-path.</param>
    public MimDownstreamEncoder(MimNetworkConfig config, DownstreamOptions options) : base(nameof(MimDownstreamEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        using var construction = new ConstructionScope();
        options.Validate(config);
        Config = config;
        Roi = options.RoiFor(config);
        GridSize = Roi / MimNetworkConfig.TokenSize;
        var dims = config.EmbedDims;

        _posEmbed = new Parameter(SinCosPositionEmbedding.Create3D(dims[3], GridSize));
        register_parameter("pos_embed", _posEmbed);

        _patchEmbeds = new PatchEmbed[4];
        for (var stage = 0; stage < 4; stage++)
        {
            _patchEmbeds[stage] = new PatchEmbed(stage == 0 ? config.InChannels : dims[stage - 1], dims[stage]);
            register_module($"patch_embed{stage + 1}", _patchEmbeds[stage]);
        }

        _patchEmbed5 = nn.Linear(dims[3], dims[3]);
        register_module("patch_embed5", _patchEmbed5);

        _convBlocks = new ModuleList<ConvBlock>[ConvStages];
        for (var stage = 0; stage < ConvStages; stage++)
        {
            var width = dims[stage];
            _convBlocks[stage] = new ModuleList<ConvBlock>(
                Enumerable.Range(0, config.Depths[stage]).Select(_ => new ConvBlock(width, config.MlpRatio)).ToArray());
            register_module($"blocks{stage + 1}", _convBlocks[stage]);
        }

        var depth = config.Depths[3];
        _vitBlocks = new ModuleList<DownstreamVitBlock>(
            Enumerable.Range(0, depth)
                .Select(i => new DownstreamVitBlock(
                    dims[3], config.NumHeads, config.MlpRatio, GridSize, options, depth > 1 ? options.DropPathRate * i / (depth - 1) : 0))
                .ToArray());
        register_module("blocks4", _vitBlocks);

        _fpn = new ModuleList<nn.Module<Tensor, Tensor>>(
            new PatchConv3d(dims[3], ExtraChannels, 2), new ChannelLayerNorm(ExtraChannels, eps: 1e-5));
        register_module("fpn", _fpn);

        InitializeWeights();
        construction.Keep(this);
    }

    /// <summary>Backbone sizes.</summary>
    public MimNetworkConfig Config { get; }

    /// <summary>Input edge S (the input is S³).</summary>
    public int Roi { get; }

    /// <summary>Tokens per axis, S / 16.</summary>
    public int GridSize { get; }

    /// <summary>Channels of the extra stage: twice the token width.</summary>
    public int ExtraChannels => Config.EmbedDims[3] * 2;

    /// <summary>Runs the encoder on every token.</summary>
    /// <param name="input">[B, C, S, S, S].</param>
    public override EncoderHiddenStates forward(Tensor input)
    {
        CheckInput(input);
        using var scope = NewDisposeScope();
        var x = input;
        var stages = new Tensor[ConvStages];
        for (var stage = 0; stage < ConvStages; stage++)
        {
            x = _patchEmbeds[stage].forward(x);
            foreach (var block in _convBlocks[stage])
            {
                x = block.forward(x, null);
            }

            stages[stage] = x;
        }

        x = _patchEmbeds[3].forward(x);
        var tokens = _patchEmbed5.forward(x.flatten(2).transpose(1, 2)).add(_posEmbed, CachedScalars.One);
        foreach (var block in _vitBlocks)
        {
            tokens = block.forward(tokens);
        }

        var g = GridSize;
        var map = tokens.transpose(1, 2).reshape(tokens.shape[0], tokens.shape[2], g, g, g);
        var extra = nn.functional.gelu(_fpn[1].forward(_fpn[0].forward(map)));
        return new EncoderHiddenStates(
            stages[0].MoveToOuterDisposeScope(),
            stages[1].MoveToOuterDisposeScope(),
            stages[2].MoveToOuterDisposeScope(),
            tokens.MoveToOuterDisposeScope(),
            map.MoveToOuterDisposeScope(),
            extra.MoveToOuterDisposeScope());
    }

    private void CheckInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = Roi;
        if (input.dim() != 5 || input.shape[1] != Config.InChannels || input.shape[2] != s || input.shape[3] != s || input.shape[4] != s)
        {
            throw new ArgumentException(
                $"Expected input [B,{Config.InChannels},{s},{s},{s}], got [{string.Join(",", input.shape)}].", nameof(input));
        }
    }

    /// <summary>As pre-training: xavier Linears with zero bias, xavier on patch_embed3's conv; the rest keeps its default.</summary>
    private void InitializeWeights()
    {
        using var noGrad = no_grad();
        var proj3 = _patchEmbeds[2].Proj.Weight;
        using (var flat = proj3.view(proj3.shape[0], -1))
        {
            nn.init.xavier_uniform_(flat);
        }

        foreach (var module in modules())
        {
            if (module is Linear linear)
            {
                nn.init.xavier_uniform_(linear.weight!);
                linear.bias?.zero_();
            }
        }
    }
}
