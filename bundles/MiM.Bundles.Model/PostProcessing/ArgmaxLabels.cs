using MiM.Bundles.Contracts.Imaging;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.PostProcessing;

/// <summary>Turns per-class probabilities into a label buffer: each voxel takes the class of highest probability.</summary>
public static class ArgmaxLabels
{
    /// <summary>
    /// The label of each voxel of <paramref name="probabilities"/> [K, I, J, K'] as a buffer ordered i fastest (the
    /// <see cref="VoxelGrid{T}"/> order). Ties go to the lower class, as torch.argmax.
    /// </summary>
    public static ushort[] FromProbabilities(Tensor probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.dim() != 4 || probabilities.shape[0] > ushort.MaxValue)
        {
            throw new ArgumentException($"Expected [classes, I, J, K], got [{string.Join(",", probabilities.shape)}].", nameof(probabilities));
        }

        using var scope = NewDisposeScope();
        var labels = probabilities.argmax(0).permute(2, 1, 0).contiguous().to(int32).cpu();
        return labels.data<int>().Select(l => (ushort)l).ToArray();
    }
}
