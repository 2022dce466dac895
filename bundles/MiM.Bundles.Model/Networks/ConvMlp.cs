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
        using var hidden = _fc1.forward(input);
        using var activated = nn.functional.gelu(hidden);
        return _fc2.forward(activated);
    }
}
