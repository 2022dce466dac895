using TorchSharp;
using MiM.Bundles.Model.Numerics;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Downstream;

/// <summary>
/// The fine-tuning ViT block: the pre-training <see cref="VitBlock"/> (same names: norm1, attn, norm2, mlp) plus the
/// optional relative position bias, LayerScale (<c>gamma_1</c>, <c>gamma_2</c>) and drop-path of MIM_SPEC.md section 6.
/// </summary>
public sealed class DownstreamVitBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "gamma_1")]
    private readonly Parameter? _gamma1;
    [ComponentName(Name = "gamma_2")]
    private readonly Parameter? _gamma2;
    [ComponentName(Name = "norm1")]
    private readonly LayerNorm _norm1;
    [ComponentName(Name = "attn")]
    private readonly Attention _attn;
    [ComponentName(Name = "norm2")]
    private readonly LayerNorm _norm2;
    [ComponentName(Name = "mlp")]
    private readonly Mlp _mlp;
    private readonly double _dropPath;

    /// <summary>A block of width <paramref name="dim"/> on a <paramref name="grid"/>³ token grid.</summary>
    /// <param name="dim">Token width.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="mlpRatio">MLP hidden width as a multiple of <paramref name="dim"/>.</param>
    /// <param name="grid">Tokens per axis.</param>
    /// <param name="options">Bias, LayerScale.</param>
    /// <param name="dropPath">This block's drop-path rate.</param>
    public DownstreamVitBlock(int dim, int heads, int mlpRatio, int grid, DownstreamOptions options, double dropPath)
        : base(nameof(DownstreamVitBlock))
    {
        ArgumentNullException.ThrowIfNull(options);
        _dropPath = dropPath;
        if (options.LayerScaleInit is { } init)
        {
            using var initial = init.ToScalar();
            _gamma1 = new Parameter(full(dim, initial));
            _gamma2 = new Parameter(full(dim, initial));
            register_parameter("gamma_1", _gamma1);
            register_parameter("gamma_2", _gamma2);
        }

        _norm1 = nn.LayerNorm(dim, eps: 1e-6);
        _attn = new Attention(dim, heads, grid, options.RelativePositionBias);
        _norm2 = nn.LayerNorm(dim, eps: 1e-6);
        _mlp = new Mlp(dim, dim * mlpRatio);
        register_module("norm1", _norm1);
        register_module("attn", _attn);
        register_module("norm2", _norm2);
        register_module("mlp", _mlp);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var attended = _attn.forward(_norm1.forward(input));
        if (_gamma1 is not null)
        {
            attended = attended * _gamma1;
        }

        var x = input.add(DropPath.Apply(attended, _dropPath, training), CachedScalars.One);
        var mlpOut = _mlp.forward(_norm2.forward(x));
        if (_gamma2 is not null)
        {
            mlpOut = mlpOut * _gamma2;
        }

        return x.add(DropPath.Apply(mlpOut, _dropPath, training), CachedScalars.One).MoveToOuterDisposeScope();
    }
}
