using MiM.Bundles.Model.Networks.Convolution;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>The conv blocks' MLP: 1×1×1 Conv3d <c>fc1</c> (C→hidden) → exact GELU → 1×1×1 Conv3d <c>fc2</c> (hidden→C).</summary>
public sealed class ConvMlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "fc1")]
    private readonly PointwiseConv3d _fc1;
    [ComponentName(Name = "fc2")]
    private readonly PointwiseConv3d _fc2;

    /// <summary>A point-wise MLP over channels.</summary>
    /// <param name="channels">Input and output channels.</param>
    /// <param name="hidden">Hidden channels.</param>
    public ConvMlp(int channels, int hidden) : base(nameof(ConvMlp))
    {
        _fc1 = new PointwiseConv3d(channels, hidden);
        _fc2 = new PointwiseConv3d(hidden, channels);
        register_module("fc1", _fc1);
        register_module("fc2", _fc2);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (ChannelRows.Suit(input))
        {
            return ForwardInRowBlocks(input);
        }

        using var hidden = _fc1.forward(input);
        using var activated = ChannelsLastGelu.Apply(hidden);
        return _fc2.forward(activated);
    }

    /// <summary>The hidden scratch block <see cref="AddTo"/> needs for up to <paramref name="rows"/> rows.</summary>
    internal Tensor HiddenBlock(long rows, ScalarType dtype) => empty([Math.Min(ChannelRows.BlockRows, rows), _fc1.Weight.shape[0]], dtype: dtype);

    /// <summary>
    /// Adds fc2(GELU(fc1(<paramref name="rows"/>))) to <paramref name="output"/>, both [rows, C] with rows at most
    /// <see cref="ChannelRows.BlockRows"/>, through <paramref name="hiddenBlock"/> (<see cref="HiddenBlock"/>). Per row
    /// the same products, biases and exact GELU as the layer-by-layer path.
    /// </summary>
    internal void AddTo(Tensor rows, Tensor output, Tensor hiddenBlock) => _fc2.AddProjectedRows(Activated(rows, hiddenBlock), output);

    /// <summary>GELU(fc1(<paramref name="rows"/>)), written into the front of <paramref name="hiddenBlock"/>.</summary>
    private Tensor Activated(Tensor rows, Tensor hiddenBlock)
    {
        var hidden = _fc1.ProjectRows(rows, hiddenBlock.narrow(0, 0, rows.shape[0]));
        nn.functional.gelu(hidden, inplace: true);
        return hidden;
    }

    /// <summary>
    /// fc1 → GELU → fc2 a block of voxels at a time, the hidden block reused: at the full size's stage 1 the hidden map
    /// is 4× the input (85 MB at 48³ × 192), and writing it, then GELU's copy of it, to fresh memory cost more than
    /// the two matrix products (bench/README.md, "Where the full encoder forward's time goes").
    /// </summary>
    private Tensor ForwardInRowBlocks(Tensor input)
    {
        using var scope = NewDisposeScope();
        var rows = ChannelRows.Of(input);
        var count = rows.shape[0];
        var output = empty([count, input.shape[1]], dtype: input.dtype);
        var hiddenBlock = HiddenBlock(count, input.dtype);
        foreach (var (start, length) in ChannelRows.Blocks(count))
        {
            using var block = NewDisposeScope();
            _fc2.ProjectRows(Activated(rows.narrow(0, start, length), hiddenBlock), output.narrow(0, start, length));
        }

        return ChannelRows.ToMap(output, input.shape).MoveToOuterDisposeScope();
    }
}
