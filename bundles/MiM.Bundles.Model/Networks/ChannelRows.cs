using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>
/// A channels-last feature map [N, C, D, H, W] read as rows of channels [N·D·H·W, C] and back, for the inference paths
/// that work a block of voxels at a time so their intermediates stay in cache instead of becoming whole maps.
/// </summary>
internal static class ChannelRows
{
    /// <summary>Voxels per block: a 192-wide hidden block (3 MB) stays in cache; 512 to 16384 measured, 4096 best.</summary>
    public const long BlockRows = 4096;

    /// <summary>
    /// Inference (no autograd: nothing needs the intermediates afterwards) on the CPU in float32 on a channels-last map,
    /// whose rows are a view.
    /// </summary>
    public static bool Suit(Tensor map)
    {
        return !is_grad_enabled() && map.device_type == TorchSharp.DeviceType.CPU && map.dtype == ScalarType.Float32 && ChannelsLastMap.Holds(map);
    }

    /// <summary>The (start, length) of each block of <see cref="BlockRows"/> rows (the last one shorter) of <paramref name="count"/> rows.</summary>
    public static IEnumerable<(long Start, long Length)> Blocks(long count)
    {
        for (var start = 0L; start < count; start += BlockRows)
        {
            yield return (start, Math.Min(BlockRows, count - start));
        }
    }

    /// <summary>The [N·D·H·W, C] rows of <paramref name="map"/>; a view where the map is channels-last.</summary>
    public static Tensor Of(Tensor map) => map.permute(0, 2, 3, 4, 1).reshape(-1, map.shape[1]);

    /// <summary>Rows [N·D·H·W, C] back into a channels-last map of <paramref name="shape"/> [N, C, D, H, W] (a view).</summary>
    public static Tensor ToMap(Tensor rows, long[] shape) => rows.view(shape[0], shape[2], shape[3], shape[4], shape[1]).permute(0, 4, 1, 2, 3);
}
