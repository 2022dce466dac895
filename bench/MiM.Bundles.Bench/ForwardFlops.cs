using MiM.Bundles.Model.Configuration;

namespace MiM.Bundles.Bench;

/// <summary>
/// Analytic multiply-add count (×2 = FLOPs) of one encoder+decoder forward pass. Convolutions are dense (the
/// masked conv stages compute every voxel); the ViT runs on visible tokens, the decoder on all tokens.
/// A training step costs about 3× its forward FLOPs (backward ≈ 2× forward). <see cref="Encoder"/> is the part the
/// serving path and `mim features` run.
/// </summary>
internal static class ForwardFlops
{
    public static double Compute(MimNetworkConfig c, int visibleTokens)
    {
        var flops = Encoder(c, visibleTokens);
        var d = c.EmbedDims[3];
        var tokens = c.TokenCount;
        var dd = c.DecoderDim;
        flops += 2.0 * d * dd * visibleTokens;
        flops += c.DecoderDepth * Transformer(dd, c.MlpRatio, tokens);
        flops += 2.0 * dd * c.VoxelsPerToken * tokens;
        return flops;
    }

    /// <summary>The encoder alone (conv stages, fusion, ViT on the visible tokens), as the serving path runs it.</summary>
    public static double Encoder(MimNetworkConfig c, int visibleTokens)
    {
        double flops = 0;
        var channels = c.InChannels;
        var edge = (double)c.InputSize;
        for (var stage = 0; stage < 4; stage++)
        {
            edge /= 2;
            var voxels = edge * edge * edge;
            var dim = c.EmbedDims[stage];
            flops += 2 * channels * dim * 8 * voxels; // patch embedding, k = s = 2
            channels = dim;
            if (stage < 3)
            {
                var hidden = dim * c.MlpRatio;
                var perBlock = (2.0 * dim * dim) + (2.0 * dim * 125) + (2.0 * dim * dim) + (2.0 * dim * hidden * 2);
                flops += c.Depths[stage] * perBlock * voxels;
            }
        }

        var tokens = c.TokenCount;
        var d = c.EmbedDims[3];
        flops += 2.0 * d * d * tokens; // patch_embed5
        for (var stage = 0; stage < 3; stage++)
        {
            flops += 2.0 * c.EmbedDims[stage] * d * Math.Pow(8 >> stage, 3) * tokens; // fusion convs
        }

        flops += c.Depths[3] * Transformer(d, c.MlpRatio, visibleTokens);
        return flops;
    }

    private static double Transformer(int dim, int mlpRatio, int tokens) =>
        (2.0 * tokens * dim * dim * 3) + (2.0 * 2 * tokens * tokens * dim) + (2.0 * tokens * dim * dim) + (2.0 * tokens * dim * dim * mlpRatio * 2);
}
