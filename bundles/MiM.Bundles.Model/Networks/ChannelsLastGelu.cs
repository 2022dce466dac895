using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>
/// Exact GELU of a feature map, applied to a channels-last map through its contiguous [N, D, H, W, C] view (no copy;
/// the result has the input's strides). On the bench CPU libtorch's GELU over a channels-last [1, 192, 48³] map ran at
/// 6 ms in some processes and 136–220 ms in others from some step on, while the same values laid out contiguously
/// took 6–10 ms in the same slow process (bench/README.md, "two regimes"); the view keeps every GELU, forward and
/// backward, on the contiguous path.
/// </summary>
internal static class ChannelsLastGelu
{
    /// <summary>GELU(<paramref name="input"/>), element by element, with <paramref name="input"/>'s layout.</summary>
    public static Tensor Apply(Tensor input)
    {
        if (input.is_contiguous() || !ChannelsLastMap.Holds(input))
        {
            return nn.functional.gelu(input);
        }

        using var rows = input.permute(0, 2, 3, 4, 1);
        using var activated = nn.functional.gelu(rows);
        return activated.permute(0, 4, 1, 2, 3);
    }
}
