using MiM.Bundles.Model.Numerics;
using MiM.Bundles.Model.Configuration;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Downstream;

/// <summary>
/// The MiM classification network (MIM_SPEC.md section 6): the downstream encoder under <c>backbone.</c>, then the
/// ViT tokens mean-pooled → LayerNorm (<c>fc_norm</c>, eps 1e-6) → Linear(D, classes) (<c>head</c>).
/// </summary>
public sealed class MimClassificationNetwork : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "backbone")]
    private readonly MimDownstreamEncoder _backbone;
    [ComponentName(Name = "fc_norm")]
    private readonly LayerNorm _norm;
    [ComponentName(Name = "head")]
    private readonly Linear _head;

    /// <summary>Builds the network.</summary>
    /// <param name="config">Backbone sizes.</param>
    /// <param name="options">Classes, ROI, ViT-block options (feature size is unused).</param>
    public MimClassificationNetwork(MimNetworkConfig config, DownstreamOptions options) : base(nameof(MimClassificationNetwork))
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        using var construction = new ConstructionScope();
        options.Validate(config);
        Config = config;
        Options = options;
        _backbone = new MimDownstreamEncoder(config, options);
        _norm = nn.LayerNorm(config.EmbedDims[3], eps: 1e-6);
        _head = nn.Linear(config.EmbedDims[3], options.Classes);
        register_module("backbone", _backbone);
        register_module("fc_norm", _norm);
        register_module("head", _head);
        using var noGrad = no_grad();

        // MAE's fine-tuning head init (trunc_normal_(head.weight, std=2e-5)): the run starts at chance (logits ~0, loss
        // ln C) for every input. A xavier head on unit-variance LayerNorm features gives logits of ±1.4 that the first
        // steps must undo; those large gradients flattened the pooled tokens into one vector for every input, and the
        // classifier never left a constant prediction.
        nn.init.trunc_normal_(_head.weight!, std: HeadInitStd);
        _head.bias!.zero_();
        construction.Keep(this);
    }

    /// <summary>Standard deviation of the head's initial weights (MAE fine-tuning's).</summary>
    public const double HeadInitStd = 2e-5;

    /// <summary>Backbone sizes.</summary>
    public MimNetworkConfig Config { get; }

    /// <summary>Downstream options.</summary>
    public DownstreamOptions Options { get; }

    /// <summary>The encoder (<c>backbone.*</c>).</summary>
    public MimDownstreamEncoder Backbone => _backbone;

    /// <summary>Class logits.</summary>
    /// <param name="input">[B, C, S, S, S].</param>
    /// <returns>[B, Classes].</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var hidden = _backbone.forward(input);
        var pooled = hidden.Tokens.mean([1]);
        return _head.forward(_norm.forward(pooled)).MoveToOuterDisposeScope();
    }
}
