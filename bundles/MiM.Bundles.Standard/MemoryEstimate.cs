using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using static TorchSharp.torch;

namespace MiM.Bundles.Standard;

/// <summary>
/// A rough memory need: the parameters, plus per window batch the activations of the first stage (half the ROI,
/// widest maps) times a factor for the other stages and the decoder, plus the blended output over the volume.
/// </summary>
internal static class MemoryEstimate
{
    private const long ActivationFactor = 8;

    public static BundleMemory For(nn.Module network, NetworkDefinition definition, GridSize input)
    {
        var parameters = network.parameters().Sum(p => p.numel()) * sizeof(float);
        var roi = (long)definition.Window.Roi;
        var half = roi / 2;
        var activations = definition.Window.BatchSize * half * half * half * definition.Network.EmbedDims[0] * sizeof(float) * ActivationFactor;
        var output = input.VoxelCount * definition.Options.Classes * sizeof(float);
        return new BundleMemory(parameters + activations + output, output + (input.VoxelCount * sizeof(float)));
    }
}
