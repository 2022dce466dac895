using MiM.Bundles.Imaging.Transforms.Configuration;

namespace MiM.Bundles.Imaging.Transforms.Intensity;

/// <summary>
/// MONAI's <c>ScaleIntensityRange(a_min, a_max, b_min, b_max, clip)</c>: maps [a_min, a_max] linearly onto
/// [b_min, b_max] as <c>(v − a_min) / (a_max − a_min) · (b_max − b_min) + b_min</c>, then optionally clips to
/// [b_min, b_max]. With clipping, NaN becomes b_min (air in a CT window) so one bad voxel cannot poison a loss.
/// </summary>
public sealed class ScaleIntensityRangeTransform : SingleSampleTransform
{
    /// <summary>A window from [<paramref name="aMin"/>, <paramref name="aMax"/>] to [<paramref name="bMin"/>, <paramref name="bMax"/>].</summary>
    /// <exception cref="ArgumentException">a_min equals a_max.</exception>
    public ScaleIntensityRangeTransform(float aMin, float aMax, float bMin, float bMax, bool clip)
    {
        if (!(aMax != aMin) || !float.IsFinite(aMin) || !float.IsFinite(aMax))
        {
            throw new ArgumentException($"a_min ({aMin}) and a_max ({aMax}) must be different finite numbers.", nameof(aMax));
        }

        (AMin, AMax, BMin, BMax, Clip) = (aMin, aMax, bMin, bMax, clip);
    }

    /// <inheritdoc/>
    public override string Name => "ScaleIntensityRange";

    /// <summary>The input value mapped to <see cref="BMin"/>.</summary>
    public float AMin { get; }

    /// <summary>The input value mapped to <see cref="BMax"/>.</summary>
    public float AMax { get; }

    /// <summary>The output value of <see cref="AMin"/>.</summary>
    public float BMin { get; }

    /// <summary>The output value of <see cref="AMax"/>.</summary>
    public float BMax { get; }

    /// <summary>Whether outputs are clipped to [b_min, b_max].</summary>
    public bool Clip { get; }

    /// <summary>Reads <c>a_min</c>, <c>a_max</c> (required), <c>b_min</c> (default 0), <c>b_max</c> (default 1), <c>clip</c> (default false, MONAI's).</summary>
    public static ScaleIntensityRangeTransform FromParameters(TransformParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var aMin = (float)parameters.RequiredNumber("a_min");
        var aMax = (float)parameters.RequiredNumber("a_max");
        var bMin = (float)(parameters.OptionalNumber("b_min") ?? 0);
        var bMax = (float)(parameters.OptionalNumber("b_max") ?? 1);
        var clip = parameters.OptionalBool("clip") ?? false;
        return aMin != aMax ? new ScaleIntensityRangeTransform(aMin, aMax, bMin, bMax, clip) : throw parameters.Invalid("a_max", $"different from a_min ({aMin})");
    }

    /// <summary>Scales <paramref name="voxels"/> in place.</summary>
    public void Scale(Span<float> voxels)
    {
        // Divide rather than multiply by a reciprocal: the same rounding as MONAI's ScaleIntensityRange.
        var width = AMax - AMin;
        var range = BMax - BMin;
        var (low, high) = BMin <= BMax ? (BMin, BMax) : (BMax, BMin);
        for (var n = 0; n < voxels.Length; n++)
        {
            var scaled = ((voxels[n] - AMin) / width * range) + BMin;
            if (Clip)
            {
                // Written so NaN fails both comparisons and lands at b_min.
                scaled = scaled >= high ? high : scaled > low ? scaled : scaled <= low ? low : BMin;
            }

            voxels[n] = scaled;
        }
    }

    /// <inheritdoc/>
    protected override TransformSample ApplyOne(TransformSample sample, TransformContext context)
    {
        var voxels = (float[])sample.Image.Voxels.Clone();
        Scale(voxels);
        return sample.WithImageVoxels(voxels);
    }
}
