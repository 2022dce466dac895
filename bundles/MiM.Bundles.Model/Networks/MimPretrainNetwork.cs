using MiM.Bundles.Model.Numerics;
using MiM.Bundles.Model.Networks.Convolution;
using MiM.Bundles.Model.Configuration;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>
/// The MiM pre-training network (MIM_SPEC.md sections 4 and 4b): three masked conv stages, a ViT stage over the
/// visible tokens with multi-scale fusion, the MAE decoder, and the four alignment projectors. State-dict names and
/// order are the authors' (<c>mim_official_keys.tsv</c>), so checkpoints interchange with their PyTorch code.
/// Weights are drawn from TorchSharp's global generator: seed it (<c>torch.manual_seed</c>) before constructing.
/// </summary>
public sealed class MimPretrainNetwork : nn.Module
{
    private const int ConvStages = 3;

    // TorchSharp also registers fields by name (RegisterComponents, and .to() re-binds moved parameters by field
    // name): ComponentName makes that name the official one, so nothing is registered twice or renamed on a move.
    [ComponentName(Name = "pos_embed")]
    private readonly Parameter _posEmbed;
    [ComponentName(Name = "mask_token")]
    private readonly Parameter _maskToken;
    [ComponentName(Name = "decoder_pos_embed")]
    private readonly Parameter _decoderPosEmbed;
    private readonly PatchEmbed[] _patchEmbeds;
    [ComponentName(Name = "patch_embed5")]
    private readonly Linear _patchEmbed5;
    private readonly PatchConv3d[] _stageOutputDecodes;
    private readonly ModuleList<ConvBlock>[] _convBlocks;
    [ComponentName(Name = "blocks4")]
    private readonly ModuleList<VitBlock> _vitBlocks;
    [ComponentName(Name = "norm")]
    private readonly LayerNorm _norm;
    [ComponentName(Name = "decoder_embed")]
    private readonly Linear _decoderEmbed;
    [ComponentName(Name = "decoder_blocks")]
    private readonly ModuleList<VitBlock> _decoderBlocks;
    [ComponentName(Name = "decoder_norm")]
    private readonly LayerNorm _decoderNorm;
    [ComponentName(Name = "decoder_pred")]
    private readonly Linear _decoderPred;
    [ComponentName(Name = "aggregate_mid")]
    private readonly Mlp _aggregateMid;
    [ComponentName(Name = "aggregate_down")]
    private readonly Mlp _aggregateDown;
    [ComponentName(Name = "aggregate_pred_up_feature")]
    private readonly Mlp _aggregatePredUpFeature;
    [ComponentName(Name = "aggregate_pred_mid_feature")]
    private readonly Mlp _aggregatePredMidFeature;

    /// <summary>Builds and initialises the network as the authors do.</summary>
    /// <param name="config">Sizes; validated.</param>
    public MimPretrainNetwork(MimNetworkConfig config) : base(nameof(MimPretrainNetwork))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        using var construction = new ConstructionScope();
        Config = config;
        var dims = config.EmbedDims;
        var tokens = config.TokenCount;
        var decoderDim = config.DecoderDim;

        // Registration order follows the authors' state dict: own parameters first, then modules as declared.
        _posEmbed = new Parameter(zeros(1, tokens, dims[3]), requires_grad: false);
        _maskToken = new Parameter(zeros(1, 1, decoderDim));
        _decoderPosEmbed = new Parameter(zeros(1, tokens, decoderDim), requires_grad: false);
        register_parameter("pos_embed", _posEmbed);
        register_parameter("mask_token", _maskToken);
        register_parameter("decoder_pos_embed", _decoderPosEmbed);

        _patchEmbeds = new PatchEmbed[4];
        for (var stage = 0; stage < 4; stage++)
        {
            var inChannels = stage == 0 ? config.InChannels : dims[stage - 1];
            _patchEmbeds[stage] = new PatchEmbed(inChannels, dims[stage]);
            register_module($"patch_embed{stage + 1}", _patchEmbeds[stage]);
        }

        _patchEmbed5 = nn.Linear(dims[3], dims[3]);
        register_module("patch_embed5", _patchEmbed5);

        // Fusion convs bring stage k (grid 2^(4-k)·G) down to the token grid in one non-overlapping step.
        _stageOutputDecodes = new PatchConv3d[ConvStages];
        for (var stage = 0; stage < ConvStages; stage++)
        {
            var factor = StageFactor(stage);
            _stageOutputDecodes[stage] = new PatchConv3d(dims[stage], dims[3], factor);
            register_module($"stage{stage + 1}_output_decode", _stageOutputDecodes[stage]);
        }

        _convBlocks = new ModuleList<ConvBlock>[ConvStages];
        for (var stage = 0; stage < ConvStages; stage++)
        {
            var width = dims[stage];
            _convBlocks[stage] = new ModuleList<ConvBlock>(
                Enumerable.Range(0, config.Depths[stage]).Select(_ => new ConvBlock(width, config.MlpRatio)).ToArray());
            register_module($"blocks{stage + 1}", _convBlocks[stage]);
        }

        _vitBlocks = new ModuleList<VitBlock>(
            Enumerable.Range(0, config.Depths[3]).Select(_ => new VitBlock(dims[3], config.NumHeads, config.MlpRatio)).ToArray());
        register_module("blocks4", _vitBlocks);
        _norm = nn.LayerNorm(dims[3], eps: 1e-6);
        register_module("norm", _norm);

        _decoderEmbed = nn.Linear(dims[3], decoderDim);
        register_module("decoder_embed", _decoderEmbed);
        _decoderBlocks = new ModuleList<VitBlock>(
            Enumerable.Range(0, config.DecoderDepth).Select(_ => new VitBlock(decoderDim, config.DecoderHeads, config.MlpRatio)).ToArray());
        register_module("decoder_blocks", _decoderBlocks);
        _decoderNorm = nn.LayerNorm(decoderDim, eps: 1e-6);
        register_module("decoder_norm", _decoderNorm);
        _decoderPred = nn.Linear(decoderDim, config.VoxelsPerToken);
        register_module("decoder_pred", _decoderPred);

        _aggregateMid = new Mlp(decoderDim, decoderDim);
        _aggregateDown = new Mlp(decoderDim, decoderDim);
        _aggregatePredUpFeature = new Mlp(decoderDim, decoderDim);
        _aggregatePredMidFeature = new Mlp(decoderDim, decoderDim);
        register_module("aggregate_mid", _aggregateMid);
        register_module("aggregate_down", _aggregateDown);
        register_module("aggregate_pred_up_feature", _aggregatePredUpFeature);
        register_module("aggregate_pred_mid_feature", _aggregatePredMidFeature);

        InitializeWeights();
        construction.Keep(this);
    }

    /// <summary>The sizes this network was built with.</summary>
    public MimNetworkConfig Config { get; }

    /// <summary>Projector <c>aggregate_mid</c> (DecoderDim → DecoderDim → DecoderDim, GELU).</summary>
    public nn.Module<Tensor, Tensor> AggregateMid => _aggregateMid;

    /// <summary>Projector <c>aggregate_down</c>.</summary>
    public nn.Module<Tensor, Tensor> AggregateDown => _aggregateDown;

    /// <summary>Projector <c>aggregate_pred_up_feature</c>.</summary>
    public nn.Module<Tensor, Tensor> AggregatePredUpFeature => _aggregatePredUpFeature;

    /// <summary>Projector <c>aggregate_pred_mid_feature</c>.</summary>
    public nn.Module<Tensor, Tensor> AggregatePredMidFeature => _aggregatePredMidFeature;

    /// <summary>Encodes the visible tokens of a masked batch.</summary>
    /// <param name="volumes">[N, C, S, S, S] float, S = <see cref="MimNetworkConfig.InputSize"/>.</param>
    /// <param name="mask">[N, T] float, 1 = masked, 0 = visible, the same number of visible tokens per row.</param>
    public EncoderOutput Encode(Tensor volumes, Tensor mask) => Encode(volumes, mask, trace: null);

    /// <summary>The encoder with every token visible: [N, T, D] after the final norm (the foundation-model embedding).</summary>
    /// <param name="volumes">[N, C, S, S, S] float.</param>
    public Tensor EncodeAllTokens(Tensor volumes)
    {
        CheckVolumes(volumes);
        using var scope = NewDisposeScope();
        var (tokens, stageTokens) = RunStages(volumes, mask: null, trace: null);
        var fused = RunTransformer(tokens, stageTokens, trace: null);
        return fused.MoveToOuterDisposeScope();
    }

    /// <summary>Reconstructs every token from the encoder's visible-token features.</summary>
    /// <param name="encoded">The output of <see cref="Encode(Tensor, Tensor)"/>.</param>
    public DecoderOutput Decode(EncoderOutput encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        using var scope = NewDisposeScope();
        var latent = encoded.Latent;
        var (n, visible) = (latent.shape[0], latent.shape[1]);
        var tokens = encoded.IdsRestore.shape[1];
        var decoderDim = Config.DecoderDim;

        var embedded = _decoderEmbed.forward(latent);
        var maskTokens = _maskToken.expand(n, tokens - visible, decoderDim);
        var shuffled = cat([embedded, maskTokens], 1);
        var x = shuffled.gather(1, encoded.IdsRestore.unsqueeze(-1).expand(n, tokens, decoderDim)).add(_decoderPosEmbed, CachedScalars.One);
        foreach (var block in _decoderBlocks)
        {
            x = block.forward(x);
        }

        var features = _decoderNorm.forward(x);
        var prediction = _decoderPred.forward(features);
        return new DecoderOutput(prediction.MoveToOuterDisposeScope(), features.MoveToOuterDisposeScope());
    }

    /// <summary><see cref="Encode(Tensor, Tensor)"/>, optionally recording named intermediates (the fixture's names).</summary>
    internal EncoderOutput Encode(Tensor volumes, Tensor mask, IDictionary<string, Tensor>? trace)
    {
        CheckVolumes(volumes);
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.dim() != 2 || mask.shape[0] != volumes.shape[0] || mask.shape[1] != Config.TokenCount)
        {
            throw new ArgumentException(
                $"Expected a token mask [{volumes.shape[0]},{Config.TokenCount}], got [{string.Join(",", mask.shape)}].", nameof(mask));
        }

        using var scope = NewDisposeScope();
        var (idsKeep, idsRestore) = TokenMask.KeepAndRestore(mask);
        var floatMask = mask.to(volumes.dtype);
        var (tokens, stageTokens) = RunStages(volumes, floatMask, trace);
        var gather = idsKeep.unsqueeze(-1).expand(idsKeep.shape[0], idsKeep.shape[1], tokens.shape[2]);
        var visibleTokens = tokens.gather(1, gather);
        var visibleStageTokens = stageTokens.Select(s => s.gather(1, gather)).ToArray();
        var latent = RunTransformer(visibleTokens, visibleStageTokens, trace);
        if (trace is not null)
        {
            foreach (var key in trace.Keys)
            {
                trace[key].MoveToOuterDisposeScope();
            }
        }

        return new EncoderOutput(
            latent.MoveToOuterDisposeScope(), idsKeep.MoveToOuterDisposeScope(), idsRestore.MoveToOuterDisposeScope());
    }

    private static int StageFactor(int stage) => 1 << (ConvStages - stage);

    /// <summary>Conv stages and PE4 → tokens [N,T,D] (+ pos_embed) and the three fusion-conv outputs as tokens.</summary>
    private (Tensor Tokens, Tensor[] StageTokens) RunStages(Tensor volumes, Tensor? mask, IDictionary<string, Tensor>? trace)
    {
        var x = volumes;
        var stageTokens = new Tensor[ConvStages];
        for (var stage = 0; stage < ConvStages; stage++)
        {
            x = _patchEmbeds[stage].forward(x);
            var visible = mask is null ? null : TokenMask.VisibleAt(mask, Config.GridSize, StageFactor(stage));
            foreach (var block in _convBlocks[stage])
            {
                x = block.forward(x, visible);
            }

            stageTokens[stage] = _stageOutputDecodes[stage].forward(x).flatten(2).transpose(1, 2);
            trace?.Add($"stage{stage + 1}_embed_all", stageTokens[stage]);
        }

        x = _patchEmbeds[3].forward(x);
        var tokens = _patchEmbed5.forward(x.flatten(2).transpose(1, 2)).add(_posEmbed, CachedScalars.One);
        trace?.Add("tokens_all", tokens);
        return (tokens, stageTokens);
    }

    /// <summary>ViT blocks, then the fusion add and the final norm.</summary>
    private Tensor RunTransformer(Tensor tokens, Tensor[] stageTokens, IDictionary<string, Tensor>? trace)
    {
        var x = tokens;
        foreach (var block in _vitBlocks)
        {
            x = block.forward(x);
        }

        trace?.Add("blocks4_out", x);
        foreach (var stage in stageTokens)
        {
            x = x.add(stage, CachedScalars.One);
        }

        trace?.Add("encoder_prenorm", x);
        return _norm.forward(x);
    }

    private void CheckVolumes(Tensor volumes)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        var s = Config.InputSize;
        if (volumes.dim() != 5 || volumes.shape[1] != Config.InChannels || volumes.shape[2] != s || volumes.shape[3] != s || volumes.shape[4] != s)
        {
            throw new ArgumentException(
                $"Expected volumes [N,{Config.InChannels},{s},{s},{s}], got [{string.Join(",", volumes.shape)}].", nameof(volumes));
        }
    }

    /// <summary>The authors' <c>initialize_weights</c>: fixed sin-cos embeddings, xavier Linears, N(0, 0.02) mask token.</summary>
    private void InitializeWeights()
    {
        using var noGrad = no_grad();
        using (var pos = SinCosPositionEmbedding.Create3D(Config.EmbedDims[3], Config.GridSize))
        {
            _posEmbed.copy_(pos);
        }

        using (var decoderPos = SinCosPositionEmbedding.Create3D(Config.DecoderDim, Config.GridSize))
        {
            _decoderPosEmbed.copy_(decoderPos);
        }

        // Only patch_embed3's conv is initialised like a Linear (xavier on the weight viewed as [out, in·k³]).
        var proj3 = _patchEmbeds[2].Proj.Weight;
        using (var flat = proj3.view(proj3.shape[0], -1))
        {
            nn.init.xavier_uniform_(flat);
        }

        nn.init.normal_(_maskToken, std: 0.02);
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
