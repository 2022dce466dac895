using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>
/// LayerNorm over the channel axis of a [N, C, H, W, D] feature map (the authors permute to channels-last, apply
/// <c>nn.LayerNorm</c> and permute back). Parameters are named <c>weight</c> and <c>bias</c> like nn.LayerNorm.
/// </summary>
public sealed class ChannelLayerNorm : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;
    [ComponentName(Name = "bias")]
    private readonly Parameter _bias;
    private readonly long[] _shape;

    /// <summary>A channel LayerNorm with weight 1 and bias 0.</summary>
    /// <param name="channels">Channels C.</param>
    /// <param name="eps">Variance epsilon; the conv stages use PyTorch's default 1e-5.</param>
    public ChannelLayerNorm(int channels, double eps = 1e-5) : base(nameof(ChannelLayerNorm))
    {
        Eps = eps;
        _shape = [channels];
        _weight = new Parameter(ones(channels));
        _bias = new Parameter(zeros(channels));
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
    }

    /// <summary>The variance epsilon.</summary>
    public double Eps { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var channelsLast = input.permute(0, 2, 3, 4, 1);
        using var normed = NormalizeRows(channelsLast);
        return normed.permute(0, 4, 1, 2, 3);
    }

    /// <summary>The same LayerNorm over the last axis of <paramref name="rows"/> [..., C] (channels already last).</summary>
    internal Tensor NormalizeRows(Tensor rows) => nn.functional.layer_norm(rows, _shape, _weight, _bias, Eps);
}
