using MiM.Bundles.Imaging.Transforms.Configuration;
using MiM.Bundles.Imaging.Transforms.Grids;

namespace MiM.Bundles.Imaging.Transforms.Spatial;

/// <summary>
/// MONAI's <c>RandRotate90(prob, max_k, spatial_axes)</c>: with probability <c>prob</c>, rotates by k·90° in the plane
/// of the two axes, k uniform in 1..max_k, with numpy's <c>rot90</c> direction (from the first axis towards the second).
/// The geometry follows, so voxels keep their physical positions.
/// </summary>
public sealed class RandRotate90Transform : SingleSampleTransform, IRandomTransform
{
    /// <summary>Rotates in the plane (<paramref name="firstAxis"/>, <paramref name="secondAxis"/>).</summary>
    public RandRotate90Transform(double prob, int maxK, int firstAxis, int secondAxis)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prob, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prob, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxK);
        if (firstAxis is < 0 or > 2 || secondAxis is < 0 or > 2 || firstAxis == secondAxis)
        {
            throw new ArgumentException($"Spatial axes must be two different axes of 0, 1, 2, were ({firstAxis}, {secondAxis}).");
        }

        (Prob, MaxK, FirstAxis, SecondAxis) = (prob, maxK, firstAxis, secondAxis);
    }

    /// <inheritdoc/>
    public override string Name => "RandRotate90";

    /// <summary>The probability of rotating.</summary>
    public double Prob { get; }

    /// <summary>The largest number of quarter turns.</summary>
    public int MaxK { get; }

    /// <summary>The axis rotated towards <see cref="SecondAxis"/>.</summary>
    public int FirstAxis { get; }

    /// <summary>The second axis of the rotation plane.</summary>
    public int SecondAxis { get; }

    /// <summary>Reads <c>prob</c> (default 0.1), <c>max_k</c> (default 3) and <c>spatial_axes</c> (default [0, 1]).</summary>
    public static RandRotate90Transform FromParameters(TransformParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var prob = ProbabilityParameter.Read(parameters);
        var maxK = parameters.OptionalInt("max_k") ?? 3;
        if (maxK < 1)
        {
            throw parameters.Invalid("max_k", "a whole number of at least 1");
        }

        var axes = parameters.OptionalIntList("spatial_axes") ?? [0, 1];
        if (axes.Length != 2 || axes.Any(a => a is < 0 or > 2) || axes[0] == axes[1])
        {
            throw parameters.Invalid("spatial_axes", "two different spatial axes of 0, 1, 2, such as [0, 1]");
        }

        return new RandRotate90Transform(prob, maxK, axes[0], axes[1]);
    }

    /// <summary>The axis mapping of <paramref name="quarterTurns"/> quarter turns, as numpy's <c>rot90</c> defines them.</summary>
    public AxisMapping Mapping(int quarterTurns)
    {
        int[] sourceOf = [0, 1, 2];
        var flip = new bool[3];
        switch (((quarterTurns % 4) + 4) % 4)
        {
            case 1: // rot90 = transpose(flip(m, second)): out[first] runs back along source second.
                (sourceOf[FirstAxis], sourceOf[SecondAxis]) = (SecondAxis, FirstAxis);
                flip[FirstAxis] = true;
                break;
            case 2:
                flip[FirstAxis] = flip[SecondAxis] = true;
                break;
            case 3: // flip(transpose(m), second): out[second] runs back along source first.
                (sourceOf[FirstAxis], sourceOf[SecondAxis]) = (SecondAxis, FirstAxis);
                flip[SecondAxis] = true;
                break;
            default:
                break;
        }

        return AxisMapping.From(sourceOf, flip);
    }

    /// <inheritdoc/>
    protected override TransformSample ApplyOne(TransformSample sample, TransformContext context)
    {
        if (!context.Random.Chance(Prob))
        {
            return sample;
        }

        var k = context.Random.NextInt(MaxK) + 1;
        return OrientationTransform.Remap(sample, Mapping(k));
    }
}
