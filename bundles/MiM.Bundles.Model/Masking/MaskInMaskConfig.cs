using MiM.Bundles.Model.Configuration;

namespace MiM.Bundles.Model.Masking;

/// <summary>
/// How many masked volumes each level of MiM produces and how much of each is hidden (MIM_SPEC.md section 2).
/// Level 1 is the whole crop, level 2 are octants of the crop under masked level-1 cubes, level 3 are single
/// masked level-2 tokens. Defaults are the paper's full-size recipe.
/// </summary>
public sealed record MaskInMaskConfig
{
    /// <summary>Fraction of level-1 tokens hidden; must hide whole octant cubes (0.5 hides 4 of 8).</summary>
    public double Level1MaskRatio { get; init; } = 0.5;

    /// <summary>Level-2 volumes (octants) drawn per step from the masked level-1 cubes.</summary>
    public int Level2Count { get; init; } = 4;

    /// <summary>Fraction of each level-2 volume's tokens hidden.</summary>
    public double Level2MaskRatio { get; init; } = 0.6;

    /// <summary>Level-3 volumes drawn from the masked tokens of each level-2 volume.</summary>
    public int Level3PerLevel2 { get; init; } = 4;

    /// <summary>Fraction of each level-3 volume's tokens hidden.</summary>
    public double Level3MaskRatio { get; init; } = 0.5;

    /// <summary>
    /// Reproduce the released code's level-1 mask: its eight "groups" are runs of T/8 raster-consecutive token
    /// indices, not the octant cubes, so an octant chosen as a level-2 child is in general only partly masked.
    /// </summary>
    public bool LegacyRasterGroups { get; init; }

    /// <summary>
    /// Reproduce the released code's cross-level alignment defect. The sampler only carries it; the loss reads it.
    /// </summary>
    public bool LegacyAlignment { get; init; }

    /// <summary>Throws with every problem found when these settings cannot be sampled for <paramref name="network"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">The settings are inconsistent with each other or with the network.</exception>
    public void Validate(MimNetworkConfig network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var problems = new List<string>();
        CheckRatio(problems, nameof(Level1MaskRatio), Level1MaskRatio);
        CheckRatio(problems, nameof(Level2MaskRatio), Level2MaskRatio);
        CheckRatio(problems, nameof(Level3MaskRatio), Level3MaskRatio);
        if (Level2Count < 1)
        {
            problems.Add($"{nameof(Level2Count)} must be at least 1, was {Level2Count}");
        }

        if (Level3PerLevel2 < 1)
        {
            problems.Add($"{nameof(Level3PerLevel2)} must be at least 1, was {Level3PerLevel2}");
        }

        var size = network.InputSize;
        if (size <= 0 || size % MimNetworkConfig.TokenSize != 0)
        {
            problems.Add($"InputSize must be a positive multiple of {MimNetworkConfig.TokenSize}, was {size}");
        }
        else if (network.GridSize % 2 != 0)
        {
            // An octant of the 2S crop is S voxels wide, which is G/2 tokens of the resized level-1 input.
            problems.Add($"the token grid G = InputSize/16 must be even so that the 8 octants are whole token cubes, was G = {network.GridSize} (InputSize {size})");
        }
        else if (problems.Count == 0)
        {
            CheckCounts(problems, network.TokenCount);
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid mask-in-mask configuration: " + string.Join("; ", problems) + ".", nameof(network));
        }
    }

    private void CheckCounts(List<string> problems, int tokens)
    {
        var cubeTokens = tokens / 8;
        var visible1 = TokenMasks.VisibleCount(tokens, Level1MaskRatio);
        if (visible1 < 1 || visible1 % cubeTokens != 0)
        {
            problems.Add($"{nameof(Level1MaskRatio)} {Level1MaskRatio} leaves {visible1} of {tokens} level-1 tokens visible, which must be a positive multiple of the {cubeTokens} tokens of one octant cube (use k/8)");
        }
        else
        {
            var maskedCubes = 8 - (visible1 / cubeTokens);
            if (Level2Count > maskedCubes)
            {
                problems.Add($"{nameof(Level2Count)} {Level2Count} exceeds the {maskedCubes} octant cubes masked at level 1 ({nameof(Level1MaskRatio)} {Level1MaskRatio})");
            }
        }

        var visible2 = TokenMasks.VisibleCount(tokens, Level2MaskRatio);
        if (visible2 < 1)
        {
            problems.Add($"{nameof(Level2MaskRatio)} {Level2MaskRatio} leaves no level-2 token of {tokens} visible");
        }
        else if (Level3PerLevel2 > tokens - visible2)
        {
            problems.Add($"{nameof(Level3PerLevel2)} {Level3PerLevel2} exceeds the {tokens - visible2} tokens masked per level-2 volume ({nameof(Level2MaskRatio)} {Level2MaskRatio}, {tokens} tokens)");
        }

        if (TokenMasks.VisibleCount(tokens, Level3MaskRatio) < 1)
        {
            problems.Add($"{nameof(Level3MaskRatio)} {Level3MaskRatio} leaves no level-3 token of {tokens} visible");
        }
    }

    private static void CheckRatio(List<string> problems, string name, double ratio)
    {
        // Written so that NaN fails too.
        if (!(ratio > 0 && ratio < 1))
        {
            problems.Add($"{name} must lie strictly between 0 and 1, was {ratio}");
        }
    }
}
