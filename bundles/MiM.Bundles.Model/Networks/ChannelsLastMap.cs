using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>
/// Whether a feature map [N, C, D, H, W] is laid out channels-last, i.e. its [N, D, H, W, C] view is contiguous: how
/// the stages hand their maps on (channel LayerNorm, pointwise and patch convolutions return such views), and what the
/// layout-specific fast paths check before reading the map as rows of channels.
/// </summary>
internal static class ChannelsLastMap
{
    /// <summary>True for a 5-D tensor whose [N, D, H, W, C] permutation is contiguous.</summary>
    public static bool Holds(Tensor map)
    {
        if (map.dim() != 5)
        {
            return false;
        }

        using var rows = map.permute(0, 2, 3, 4, 1);
        return rows.is_contiguous();
    }
}
