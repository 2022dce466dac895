using MiM.Bundles.Model.Configuration;

namespace MiM.Bundles.Model.Masking;

/// <summary>
/// Index arithmetic shared by the levels. The crop is 2S wide; octant o = a·4 + b·2 + c covers crop voxels
/// [a·S, (a+1)·S) × [b·S, …) × [c·S, …) along dims 2, 3, 4 (the released code's patchify order), and after the
/// 2× resize that octant is the (G/2)³ cube of level-1 tokens t = h·G² + w·G + d with h ∈ [a·G/2, (a+1)·G/2) etc.
/// </summary>
internal sealed class OctantGeometry
{
    /// <summary>Octants of a crop.</summary>
    public const int OctantCount = 8;

    public OctantGeometry(MimNetworkConfig network)
    {
        InputSize = network.InputSize;
        GridSize = network.GridSize;
        TokenCount = network.TokenCount;
    }

    /// <summary>S, the edge of a network input and of an octant.</summary>
    public int InputSize { get; }

    /// <summary>G, tokens per axis.</summary>
    public int GridSize { get; }

    /// <summary>T = G³.</summary>
    public int TokenCount { get; }

    /// <summary>Where octant <paramref name="octant"/> lies in the crop.</summary>
    public CropRegion OctantRegion(int octant) =>
        new(((octant >> 2) & 1) * InputSize, ((octant >> 1) & 1) * InputSize, (octant & 1) * InputSize, InputSize);

    /// <summary>Where token <paramref name="token"/> of an S³ volume lies in it, as an offset of 16³ voxels.</summary>
    public (int Start2, int Start3, int Start4) TokenOffset(long token)
    {
        var g = GridSize;
        var h = (int)(token / (g * g));
        var w = (int)(token / g % g);
        var d = (int)(token % g);
        return (h * MimNetworkConfig.TokenSize, w * MimNetworkConfig.TokenSize, d * MimNetworkConfig.TokenSize);
    }

    /// <summary>The level-1 tokens of octant <paramref name="octant"/>'s cube, ascending.</summary>
    public long[] CubeTokens(int octant)
    {
        var half = GridSize / 2;
        var (a, b, c) = ((octant >> 2) & 1, (octant >> 1) & 1, octant & 1);
        var tokens = new List<long>(half * half * half);
        for (var h = a * half; h < (a + 1) * half; h++)
        {
            for (var w = b * half; w < (b + 1) * half; w++)
            {
                for (var d = c * half; d < (c + 1) * half; d++)
                {
                    tokens.Add(((long)h * GridSize * GridSize) + ((long)w * GridSize) + d);
                }
            }
        }

        return [.. tokens];
    }

    /// <summary>
    /// The released code's level-1 "group" <paramref name="group"/>: T/8 raster-consecutive token indices
    /// (its noise is drawn per group and repeated T/8 times with <c>repeat_interleave</c>).
    /// </summary>
    public long[] RasterGroupTokens(int group)
    {
        var size = TokenCount / OctantCount;
        var tokens = new long[size];
        for (var i = 0; i < size; i++)
        {
            tokens[i] = ((long)group * size) + i;
        }

        return tokens;
    }
}
