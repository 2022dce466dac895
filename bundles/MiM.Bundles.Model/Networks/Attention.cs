using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>Multi-head self-attention with a fused biased <c>qkv</c> Linear, scale head_dim^−½, and output <c>proj</c>.</summary>
public sealed class Attention : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "qkv")]
    private readonly Linear _qkv;
    [ComponentName(Name = "proj")]
    private readonly Linear _proj;
    private readonly int _heads;

    /// <summary>Attention over <paramref name="dim"/>-wide tokens with <paramref name="heads"/> heads.</summary>
    /// <param name="dim">Token width; divisible by <paramref name="heads"/>.</param>
    /// <param name="heads">Number of heads.</param>
    public Attention(int dim, int heads) : base(nameof(Attention))
    {
        if (dim % heads != 0)
        {
            throw new ArgumentException($"Width {dim} is not divisible by {heads} heads.", nameof(heads));
        }

        _heads = heads;
        _qkv = nn.Linear(dim, dim * 3, hasBias: true);
        _proj = nn.Linear(dim, dim);
        register_module("qkv", _qkv);
        register_module("proj", _proj);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (n, tokens, dim) = (input.shape[0], input.shape[1], input.shape[2]);
        using var qkv = _qkv.forward(input);
        using var split = qkv.reshape(n, tokens, 3, _heads, dim / _heads);
        using var perHead = split.permute(2, 0, 3, 1, 4);
        using var q = perHead[0];
        using var k = perHead[1];
        using var v = perHead[2];

        // Default scale of scaled_dot_product_attention is head_dim^-0.5, the authors' scale.
        using var attended = nn.functional.scaled_dot_product_attention(q, k, v);
        using var merged = attended.transpose(1, 2).reshape(n, tokens, dim);
        return _proj.forward(merged);
    }
}
