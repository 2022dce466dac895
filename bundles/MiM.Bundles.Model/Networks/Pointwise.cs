using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>
/// A 1×1×1 Conv3d applied to channels-last data as the Linear layer it is: the same weights (viewed [out, in]) and
/// bias, so the state dict keeps the authors' 5-D conv shapes.
/// </summary>
internal static class Pointwise
{
    public static Tensor Apply(Conv3d conv, Tensor channelsLast)
    {
        using var weight = conv.weight!.flatten(1);
        return nn.functional.linear(channelsLast, weight, conv.bias);
    }
}
