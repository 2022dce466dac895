using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Downstream;

/// <summary>
/// The 3D relative position index of BEiT-style attention bias: for tokens a and b of a G³ grid (row-major h·G² + w·G + d),
/// the row of a ((2G−1)³ × heads) table holding the bias for the offset a − b.
/// </summary>
public static class RelativePositionIndex
{
    /// <summary>Rows of the bias table for a G-token grid: (2G − 1)³.</summary>
    public static int TableRows(int grid) => (2 * grid - 1) * (2 * grid - 1) * (2 * grid - 1);

    /// <summary>The [T, T] int64 index, T = G³.</summary>
    public static Tensor Create(int grid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(grid);
        var tokens = grid * grid * grid;
        var span = (2 * grid) - 1;
        var values = new long[tokens * tokens];
        for (var a = 0; a < tokens; a++)
        {
            var (ha, wa, da) = (a / (grid * grid), a / grid % grid, a % grid);
            for (var b = 0; b < tokens; b++)
            {
                var (hb, wb, db) = (b / (grid * grid), b / grid % grid, b % grid);
                values[(a * tokens) + b] = ((((ha - hb + grid - 1) * span) + (wa - wb + grid - 1)) * span) + (da - db + grid - 1);
            }
        }

        return tensor(values, [tokens, tokens]);
    }
}
