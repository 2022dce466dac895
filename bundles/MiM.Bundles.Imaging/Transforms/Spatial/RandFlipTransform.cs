using MiM.Bundles.Imaging.Transforms.Configuration;
using MiM.Bundles.Imaging.Transforms.Grids;

namespace MiM.Bundles.Imaging.Transforms.Spatial;

/// <summary>
/// MONAI's <c>RandFlip(prob, spatial_axis)</c>: with probability <c>prob</c>, reverses the given axes (all three when
/// none are given). As MONAI does with its affine, the geometry follows, so voxels keep their physical positions.
/// </summary>
public sealed class RandFlipTransform : SingleSampleTransform, IRandomTransform
{
    /// <summary>Flips <paramref name="spatialAxes"/> (null: all) with probability <paramref name="prob"/>.</summary>
    public RandFlipTransform(double prob, IReadOnlyList<int>? spatialAxes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prob, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prob, 1);
        if (spatialAxes?.Any(a => a is < 0 or > 2) == true)
        {
            throw new ArgumentOutOfRangeException(nameof(spatialAxes), "Spatial axes are 0, 1 or 2.");
        }

        Prob = prob;
        SpatialAxes = spatialAxes is null ? [0, 1, 2] : [.. spatialAxes.Distinct()];
    }

    /// <inheritdoc/>
    public override string Name => "RandFlip";

    /// <summary>The probability of flipping.</summary>
    public double Prob { get; }

    /// <summary>The axes reversed together.</summary>
    public IReadOnlyList<int> SpatialAxes { get; }

    /// <summary>Reads <c>prob</c> (default 0.1, MONAI's) and <c>spatial_axis</c> (an axis, a list, or null for all).</summary>
    public static RandFlipTransform FromParameters(TransformParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var prob = ProbabilityParameter.Read(parameters);
        var axes = parameters.OptionalIntList("spatial_axis");
        if (axes?.Any(a => a is < 0 or > 2) == true)
        {
            throw parameters.Invalid("spatial_axis", "spatial axes 0, 1 or 2 (the channel is not counted)");
        }

        return new RandFlipTransform(prob, axes);
    }

    /// <inheritdoc/>
    protected override TransformSample ApplyOne(TransformSample sample, TransformContext context)
    {
        if (!context.Random.Chance(Prob))
        {
            return sample;
        }

        bool[] flip = [SpatialAxes.Contains(0), SpatialAxes.Contains(1), SpatialAxes.Contains(2)];
        return OrientationTransform.Remap(sample, AxisMapping.From([0, 1, 2], flip));
    }
}
