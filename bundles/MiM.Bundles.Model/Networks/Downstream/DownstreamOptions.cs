using MiM.Bundles.Model.Configuration;

namespace MiM.Bundles.Model.Networks.Downstream;

/// <summary>
/// What a downstream network adds to the backbone sizes of <see cref="MimNetworkConfig"/> (MIM_SPEC.md section 6).
/// The defaults are the spec's, except layer-scale, which is off because the authors' initial value is not known here.
/// </summary>
public sealed record DownstreamOptions
{
    /// <summary>Output channels: segmentation classes including background, or classification classes.</summary>
    public int Classes { get; init; } = 2;

    /// <summary>Network input edge (the ROI, ROI³ voxels); null = the backbone's <see cref="MimNetworkConfig.InputSize"/>. A multiple of 32.</summary>
    public int? Roi { get; init; }

    /// <summary>Decoder width at full resolution (SwinUNETR's feature_size); null = the first stage's width (48 at full size).</summary>
    public int? FeatureSize { get; init; }

    /// <summary>Drop-path (stochastic depth) rate of the last ViT block; the rate grows linearly from 0 over the blocks.</summary>
    public double DropPathRate { get; init; } = 0.2;

    /// <summary>Per-block learned relative position bias in the ViT blocks (zero-initialised, so a loaded encoder starts unchanged).</summary>
    public bool RelativePositionBias { get; init; } = true;

    /// <summary>LayerScale initial value (gamma_1/gamma_2 per ViT block), or null for no LayerScale.</summary>
    public double? LayerScaleInit { get; init; }

    /// <summary>The ROI edge these options give with <paramref name="config"/>.</summary>
    public int RoiFor(MimNetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Roi ?? config.InputSize;
    }

    /// <summary>The decoder feature size these options give with <paramref name="config"/>.</summary>
    public int FeatureSizeFor(MimNetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return FeatureSize ?? config.EmbedDims[0];
    }

    /// <summary>Throws with every problem found.</summary>
    /// <exception cref="ArgumentException">The options cannot build a network with <paramref name="config"/>.</exception>
    public void Validate(MimNetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var problems = new List<string>();
        var roi = RoiFor(config);
        if (roi <= 0 || roi % 32 != 0)
        {
            problems.Add($"the ROI must be a positive multiple of 32 (five stride-2 stages), was {roi}");
        }

        if (Classes < 1)
        {
            problems.Add($"Classes must be at least 1, was {Classes}");
        }

        if (FeatureSizeFor(config) < 1)
        {
            problems.Add($"FeatureSize must be positive, was {FeatureSize}");
        }

        if (DropPathRate is < 0 or >= 1)
        {
            problems.Add($"DropPathRate must lie in [0, 1), was {DropPathRate}");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid downstream options: " + string.Join("; ", problems) + ".");
        }
    }
}
