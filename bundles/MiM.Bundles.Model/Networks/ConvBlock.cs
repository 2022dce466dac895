using MiM.Bundles.Model.Networks.Convolution;
using MiM.Bundles.Model.Numerics;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>
/// A masked conv block of stages 1–3 (<c>blocks1..3.N</c>):
/// x += conv2(attn(v ⊙ conv1(norm1(x)))); x += mlp(norm2(x)), where <c>attn</c> is a depthwise 5³ Conv3d and v the
/// visible-token mask at this stage's resolution. Multiplying by v before the only spatial convolution keeps masked
/// voxels out of visible features, because patch embeddings never overlap token boundaries.
/// </summary>
public sealed class ConvBlock : nn.Module<Tensor, Tensor?, Tensor>
{
    [ComponentName(Name = "norm1")]
    private readonly ChannelLayerNorm _norm1;
    [ComponentName(Name = "conv1")]
    private readonly PointwiseConv3d _conv1;
    [ComponentName(Name = "conv2")]
    private readonly PointwiseConv3d _conv2;
    [ComponentName(Name = "attn")]
    private readonly DepthwiseConv3d _attn;
    [ComponentName(Name = "norm2")]
    private readonly ChannelLayerNorm _norm2;
    [ComponentName(Name = "mlp")]
    private readonly ConvMlp _mlp;

    /// <summary>A block of width <paramref name="channels"/>.</summary>
    /// <param name="channels">Channels C.</param>
    /// <param name="mlpRatio">MLP hidden width as a multiple of C.</param>
    public ConvBlock(int channels, int mlpRatio) : base(nameof(ConvBlock))
    {
        // Registration order = the authors' state-dict order.
        _norm1 = new ChannelLayerNorm(channels, eps: 1e-5);
        _conv1 = new PointwiseConv3d(channels, channels);
        _conv2 = new PointwiseConv3d(channels, channels);
        _attn = new DepthwiseConv3d(channels, 5);
        _norm2 = new ChannelLayerNorm(channels, eps: 1e-5);
        _mlp = new ConvMlp(channels, channels * mlpRatio);
        register_module("norm1", _norm1);
        register_module("conv1", _conv1);
        register_module("conv2", _conv2);
        register_module("attn", _attn);
        register_module("norm2", _norm2);
        register_module("mlp", _mlp);
    }

    /// <summary>Applies the block.</summary>
    /// <param name="input">Features [N, C, H, W, D].</param>
    /// <param name="visible">Visible mask [N, 1, H, W, D] (1 = visible), or null when every token is visible.</param>
    public override Tensor forward(Tensor input, Tensor? visible)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (ChannelRows.Suit(input))
        {
            return ForwardInRowBlocks(input, visible);
        }

        using var normed1 = _norm1.forward(input);
        using var mixed = _conv1.forward(normed1);
        using var masked = visible is null ? mixed.alias() : mixed * visible;
        using var spatial = _attn.forward(masked);
        using var mixedBack = _conv2.forward(spatial);
        using var afterMixing = input.add(mixedBack, CachedScalars.One);
        using var normed2 = _norm2.forward(afterMixing);
        using var mlpOut = _mlp.forward(normed2);
        return afterMixing.add(mlpOut, CachedScalars.One);
    }

    /// <summary>
    /// The same block at inference, a block of voxels at a time on either side of the depthwise convolution (the only
    /// op that needs neighbours): norm1 → conv1 (→ ⊙ v) into one map, the depthwise 5³, then conv2 → + input → norm2 →
    /// MLP → + into the output rows. Layer by layer the block wrote seven whole maps (21 MB each at the full size's
    /// stage 1) and read them back; this writes three, and its time varies less with where the allocator puts them
    /// (bench/README.md, "Eleventh session").
    /// </summary>
    private Tensor ForwardInRowBlocks(Tensor input, Tensor? visible)
    {
        using var scope = NewDisposeScope();
        var shape = input.shape;
        var rows = ChannelRows.Of(input);
        var count = rows.shape[0];
        var visibleRows = visible is null ? null : ChannelRows.Of(visible.expand(shape[0], 1, shape[2], shape[3], shape[4]));
        var mixed = empty([count, shape[1]], dtype: input.dtype);
        foreach (var (start, length) in ChannelRows.Blocks(count))
        {
            using var block = NewDisposeScope();
            var target = _conv1.ProjectRows(_norm1.NormalizeRows(rows.narrow(0, start, length)), mixed.narrow(0, start, length));
            if (visibleRows is not null)
            {
                target.mul_(visibleRows.narrow(0, start, length));
            }
        }

        var spatial = ChannelRows.Of(_attn.forward(ChannelRows.ToMap(mixed, shape)));
        var output = empty([count, shape[1]], dtype: input.dtype);
        var hiddenBlock = _mlp.HiddenBlock(count, input.dtype);
        foreach (var (start, length) in ChannelRows.Blocks(count))
        {
            using var block = NewDisposeScope();
            var target = _conv2.ProjectRows(spatial.narrow(0, start, length), output.narrow(0, start, length)).add_(rows.narrow(0, start, length), CachedScalars.One);
            _mlp.AddTo(_norm2.NormalizeRows(target), target, hiddenBlock);
        }

        return ChannelRows.ToMap(output, shape).MoveToOuterDisposeScope();
    }
}
