using MiM.Bundles.Model.Numerics;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>A pre-norm ViT block (<c>blocks4.N</c>, <c>decoder_blocks.N</c>): x += attn(norm1(x)); x += mlp(norm2(x)); LayerNorm eps 1e-6.</summary>
public sealed class VitBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "norm1")]
    private readonly LayerNorm _norm1;
    [ComponentName(Name = "attn")]
    private readonly Attention _attn;
    [ComponentName(Name = "norm2")]
    private readonly LayerNorm _norm2;
    [ComponentName(Name = "mlp")]
    private readonly Mlp _mlp;

    /// <summary>A block of width <paramref name="dim"/>.</summary>
    /// <param name="dim">Token width.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="mlpRatio">MLP hidden width as a multiple of <paramref name="dim"/>.</param>
    public VitBlock(int dim, int heads, int mlpRatio) : base(nameof(VitBlock))
    {
        _norm1 = nn.LayerNorm(dim, eps: 1e-6);
        _attn = new Attention(dim, heads);
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
        using var normed1 = _norm1.forward(input);
        using var attended = _attn.forward(normed1);
        using var afterAttention = input.add(attended, CachedScalars.One);
        using var normed2 = _norm2.forward(afterAttention);
        using var mlpOut = _mlp.forward(normed2);
        return afterAttention.add(mlpOut, CachedScalars.One);
    }
}
