using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks.Downstream;

namespace MiM.Bundles.Bench;

/// <summary>
/// Analytic FLOPs (2 × multiply-adds) of one <see cref="MimSegmentationNetwork"/> forward pass on one ROI³ window:
/// the encoder on every token, the extra stage, and the residual UNETR decoder. Norms and activations are left out.
/// </summary>
internal static class SegmentationFlops
{
    public static double Compute(MimNetworkConfig c, DownstreamOptions options)
    {
        var s = (double)options.RoiFor(c);
        var f = options.FeatureSizeFor(c);
        var dims = c.EmbedDims;
        double Voxels(int divisor) => Math.Pow(s / divisor, 3);

        double flops = 0;
        var channels = c.InChannels;
        for (var stage = 0; stage < 4; stage++)
        {
            var voxels = Voxels(2 << stage);
            var dim = dims[stage];
            flops += 2.0 * channels * dim * 8 * voxels;
            channels = dim;
            if (stage < 3)
            {
                var hidden = dim * c.MlpRatio;
                flops += c.Depths[stage] * ((4.0 * dim * dim) + (2.0 * dim * 125) + (4.0 * dim * hidden)) * voxels;
            }
        }

        var tokens = Voxels(16);
        var d = dims[3];
        flops += 2.0 * d * d * tokens;
        flops += c.Depths[3] * ((8.0 * tokens * d * d) + (4.0 * tokens * tokens * d) + (4.0 * tokens * d * d * c.MlpRatio));
        flops += 2.0 * d * 2 * d * 8 * Voxels(32);

        flops += Res(c.InChannels, f, Voxels(1)) + Res(dims[0], f, Voxels(2)) + Res(dims[1], 2 * f, Voxels(4)) + Res(dims[2], 4 * f, Voxels(8));
        flops += (d != 8 * f ? Res(d, 8 * f, tokens) : 0) + Res(2 * d, 16 * f, Voxels(32));
        flops += Up(16 * f, 8 * f, Voxels(16)) + Up(8 * f, 4 * f, Voxels(8)) + Up(4 * f, 2 * f, Voxels(4)) + Up(2 * f, f, Voxels(2)) + Up(f, f, Voxels(1));
        flops += 2.0 * f * options.Classes * Voxels(1);
        return flops;
    }

    private static double Res(int cin, int cout, double voxels) =>
        ((2.0 * 27 * cin * cout) + (2.0 * 27 * cout * cout) + (cin != cout ? 2.0 * cin * cout : 0)) * voxels;

    private static double Up(int cin, int cout, double outVoxels) => (2.0 * cin * cout * outVoxels) + Res(2 * cout, cout, outVoxels);
}
