using MiM.Bundles.Model.Networks.Convolution;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>The conv blocks' MLP: 1×1×1 Conv3d <c>fc1</c> (C→hidden) → exact GELU → 1×1×1 Conv3d <c>fc2</c> (hidden→C).</summary>
public sealed class ConvMlp : nn.Module<Tensor, Tensor>
{
    // Voxels per block at inference: the hidden block (3 MB at hidden 192) stays in cache; 512 to 16384 measured, 4096 best.
    private const long BlockRows = 4096;

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
        if (InRowBlocks(input))
        {
            return ForwardInRowBlocks(input);
        }

        using var hidden = _fc1.forward(input);
        using var activated = ChannelsLastGelu.Apply(hidden);
        return _fc2.forward(activated);
    }

    // Inference on the CPU in float32 on a channels-last map: nothing needs the hidden map afterwards.
    private static bool InRowBlocks(Tensor input)
    {
        return !is_grad_enabled() && input.device_type == TorchSharp.DeviceType.CPU && input.dtype == ScalarType.Float32 && ChannelsLastMap.Holds(input);
    }

    /// <summary>
    /// fc1 → GELU → fc2 a block of voxels at a time, the hidden block reused: at the full size's stage 1 the hidden map
    /// is 4× the input (85 MB at 48³ × 192), and writing it, then GELU's copy of it, to fresh memory cost more than
    /// the two matrix products (bench/README.md, "Where the full encoder forward's time goes"). Per voxel the same
    /// products, bias and exact GELU as the layer-by-layer path.
    /// </summary>
    private Tensor ForwardInRowBlocks(Tensor input)
    {
        using var scope = NewDisposeScope();
        var channels = input.shape[1];
        var rows = input.permute(0, 2, 3, 4, 1).reshape(-1, channels);
        var count = rows.shape[0];
        var (w1, w2) = (_fc1.Weight.flatten(1).t(), _fc2.Weight.flatten(1).t());
        var (b1, b2) = (_fc1.Bias!, _fc2.Bias!); // both layers are built with biases (the authors' Conv3d default)
        var output = empty([count, channels], dtype: input.dtype);
        var hiddenBlock = empty([Math.Min(BlockRows, count), w1.shape[1]], dtype: input.dtype);
        for (var start = 0L; start < count; start += BlockRows)
        {
            using var block = NewDisposeScope();
            var length = Math.Min(BlockRows, count - start);
            var hidden = hiddenBlock.narrow(0, 0, length);
            hidden.copy_(b1.expand(length, -1)).addmm_(rows.narrow(0, start, length), w1);
            nn.functional.gelu(hidden, inplace: true);
            output.narrow(0, start, length).copy_(b2.expand(length, -1)).addmm_(hidden, w2);
        }

        var shape = input.shape;
        return output.view(shape[0], shape[2], shape[3], shape[4], channels).permute(0, 4, 1, 2, 3).MoveToOuterDisposeScope();
    }
}
