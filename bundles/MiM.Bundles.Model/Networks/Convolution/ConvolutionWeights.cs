using MiM.Bundles.Model.Numerics;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Convolution;

/// <summary>
/// The parameters of a 3D convolution under PyTorch's names (<c>weight</c>, then <c>bias</c>), so checkpoints keep the
/// keys of <c>nn.Conv3d</c>/<c>nn.ConvTranspose3d</c>, with a forward pass each subclass computes its own way. The
/// weights are taken from a freshly built libtorch module, so initialisation and random-number use are exactly those
/// of the module this replaces (docs/numerics.md explains why the model does not call libtorch's conv3d for these).
/// </summary>
public abstract class ConvolutionWeights : nn.Module<Tensor, Tensor>
{
    // The names let Module.to(...) replace these fields when it converts the parameters (dtype or device).
    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;
    [ComponentName(Name = "bias")]
    private readonly Parameter? _bias;

    /// <summary>Takes (copies of) the weight and bias of an initialised libtorch module, which is then disposed.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="initialised">A <c>Conv3d</c> or <c>ConvTranspose3d</c> built with the same arguments.</param>
    protected ConvolutionWeights(string name, nn.Module<Tensor, Tensor> initialised) : base(name)
    {
        ArgumentNullException.ThrowIfNull(initialised);
        using var construction = new ConstructionScope();
        using (initialised)
        using (no_grad())
        {
            var (weight, bias) = initialised switch
            {
                Conv3d conv => (conv.weight!, conv.bias),
                ConvTranspose3d transposed => (transposed.weight!, transposed.bias),
                _ => throw new ArgumentException("Expected a Conv3d or ConvTranspose3d.", nameof(initialised)),
            };
            _weight = new Parameter(weight.detach().clone());
            _bias = bias is null ? null : new Parameter(bias.detach().clone());
        }

        register_parameter("weight", _weight);
        if (_bias is not null)
        {
            register_parameter("bias", _bias);
        }

        construction.Keep(this);
    }

    /// <summary>The kernel: [out, in/groups, k, k, k] for a convolution, [in, out, k, k, k] for a transposed one.</summary>
    public Parameter Weight => _weight;

    /// <summary>The bias [out], or null.</summary>
    public Parameter? Bias => _bias;

    /// <summary>Moves a channels-last result [N, D, H, W, C] back to the [N, C, D, H, W] view the network expects.</summary>
    protected static Tensor ToChannelsFirst(Tensor channelsLast) => channelsLast.permute(0, 4, 1, 2, 3);
}
