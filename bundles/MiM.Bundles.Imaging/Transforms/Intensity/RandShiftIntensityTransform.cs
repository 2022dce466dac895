using MiM.Bundles.Imaging.Transforms.Configuration;

namespace MiM.Bundles.Imaging.Transforms.Intensity;

/// <summary>
/// MONAI's <c>RandShiftIntensity(offsets, prob)</c>: with probability <c>prob</c>, adds one offset drawn uniformly from
/// [min, max) to every image voxel; a single number o means (−o, o). Labels are untouched.
/// </summary>
public sealed class RandShiftIntensityTransform : SingleSampleTransform, IRandomTransform
{
    /// <summary>Shifts by a uniform offset in [<paramref name="minOffset"/>, <paramref name="maxOffset"/>) with probability <paramref name="prob"/>.</summary>
    public RandShiftIntensityTransform(double minOffset, double maxOffset, double prob)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prob, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prob, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minOffset, maxOffset);
        (MinOffset, MaxOffset, Prob) = (minOffset, maxOffset, prob);
    }

    /// <inheritdoc/>
    public override string Name => "RandShiftIntensity";

    /// <summary>The lowest offset.</summary>
    public double MinOffset { get; }

    /// <summary>The highest offset (exclusive).</summary>
    public double MaxOffset { get; }

    /// <summary>The probability of shifting.</summary>
    public double Prob { get; }

    /// <summary>Reads <c>offsets</c> (required: a number o for (−o, o), or [min, max]) and <c>prob</c> (default 0.1).</summary>
    public static RandShiftIntensityTransform FromParameters(TransformParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var prob = ProbabilityParameter.Read(parameters);
        var offsets = parameters.OptionalNumbers("offsets", 2) ?? throw parameters.Missing("offsets", "a number o for (−o, o), or [min, max]");

        // A single number arrives broadcast to [o, o]; MONAI reads it as the symmetric range (−|o|, |o|).
        var (min, max) = parameters.IsArray("offsets") ? (offsets[0], offsets[1]) : (-Math.Abs(offsets[0]), Math.Abs(offsets[0]));
        return min <= max ? new RandShiftIntensityTransform(min, max, prob) : throw parameters.Invalid("offsets", "[min, max] with min ≤ max");
    }

    /// <inheritdoc/>
    protected override TransformSample ApplyOne(TransformSample sample, TransformContext context)
    {
        if (!context.Random.Chance(Prob))
        {
            return sample;
        }

        var offset = (float)context.Random.Uniform(MinOffset, MaxOffset);
        var voxels = (float[])sample.Image.Voxels.Clone();
        for (var n = 0; n < voxels.Length; n++)
        {
            voxels[n] += offset;
        }

        return sample.WithImageVoxels(voxels);
    }
}
