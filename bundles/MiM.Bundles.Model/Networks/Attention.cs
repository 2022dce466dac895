using MiM.Bundles.Model.Networks.Downstream;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>
/// Multi-head self-attention with a fused biased <c>qkv</c> Linear, scale head_dim^−½, and output <c>proj</c>; for
/// fine-tuning, optionally a learned relative position bias (<c>relative_position_bias_table</c>, zero-initialised) added
/// to the logits. Pre-training and fine-tuning share it so the pre-trained <c>qkv</c>/<c>proj</c> weights load unchanged.
/// </summary>
public sealed class Attention : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "qkv")]
    private readonly Linear _qkv;
    [ComponentName(Name = "proj")]
    private readonly Linear _proj;
    [ComponentName(Name = "relative_position_bias_table")]
    private readonly Parameter? _biasTable;

    // Named like the buffer, or TorchSharp's field reflection registers it a second time, persistently, as "_index".
    [ComponentName(Name = "relative_position_index")]
    private readonly Tensor? _index;
    private readonly int _heads;

    /// <summary>Attention over <paramref name="dim"/>-wide tokens with <paramref name="heads"/> heads, no position bias (pre-training).</summary>
    /// <param name="dim">Token width; divisible by <paramref name="heads"/>.</param>
    /// <param name="heads">Number of heads.</param>
    public Attention(int dim, int heads) : this(dim, heads, grid: 0, relativeBias: false)
    {
    }

    /// <summary>Attention over <paramref name="dim"/>-wide tokens of a <paramref name="grid"/>³ token grid.</summary>
    /// <param name="dim">Token width; divisible by <paramref name="heads"/>.</param>
    /// <param name="heads">Number of heads.</param>
    /// <param name="grid">Tokens per axis (for the bias table).</param>
    /// <param name="relativeBias">Whether to learn a relative position bias.</param>
    public Attention(int dim, int heads, int grid, bool relativeBias) : base(nameof(Attention))
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
        if (relativeBias)
        {
            _biasTable = new Parameter(zeros(RelativePositionIndex.TableRows(grid), heads));
            register_parameter("relative_position_bias_table", _biasTable);

            // Not persistent: it is a function of the grid, and the authors' checkpoints hold one with their cls rows.
            // Out of the network's construction scope by hand: TorchSharp 0.107's buffers() does not list it (see ConstructionScope).
            _index = RelativePositionIndex.Create(grid).DetachFromDisposeScope();
            register_buffer("relative_position_index", _index, persistent: false);
        }
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (n, tokens, dim) = (input.shape[0], input.shape[1], input.shape[2]);
        using var scope = NewDisposeScope();
        var qkv = _qkv.forward(input);
        var perHead = qkv.reshape(n, tokens, 3, _heads, dim / _heads).permute(2, 0, 3, 1, 4);
        var (q, k, v) = (perHead[0], perHead[1], perHead[2]);
        Tensor? bias = null;
        if (_biasTable is not null)
        {
            var index = _index!.to(ScalarType.Int64, _biasTable.device).view(-1);
            bias = _biasTable.index_select(0, index).view(tokens, tokens, _heads).permute(2, 0, 1).unsqueeze(0).to(q.dtype);
        }

        // A float mask is added to the scaled logits; the default scale is head_dim^-0.5, the authors' scale.
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, bias);
        var merged = attended.transpose(1, 2).reshape(n, tokens, dim);
        return _proj.forward(merged).MoveToOuterDisposeScope();
    }
}
