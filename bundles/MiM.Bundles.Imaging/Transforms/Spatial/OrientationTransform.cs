using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms.Configuration;
using MiM.Bundles.Imaging.Transforms.Grids;

namespace MiM.Bundles.Imaging.Transforms.Spatial;

/// <summary>
/// MONAI's <c>Orientation(axcodes=...)</c>: reorders and reverses axes to the orientation closest to the axis codes,
/// without resampling. Every voxel keeps its physical position; labels move with the image.
/// </summary>
/// <param name="axcodes">The target, e.g. <see cref="AxisCodes.Ras"/>.</param>
public sealed class OrientationTransform(AxisCodes axcodes) : SingleSampleTransform
{
    /// <inheritdoc/>
    public override string Name => "Orientation";

    /// <summary>The target orientation.</summary>
    public AxisCodes Axcodes { get; } = axcodes ?? throw new ArgumentNullException(nameof(axcodes));

    /// <summary>Reads <c>axcodes</c> (required).</summary>
    public static OrientationTransform FromParameters(TransformParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var text = parameters.OptionalString("axcodes") ?? throw parameters.Missing("axcodes", "three letters such as \"RAS\"");
        try
        {
            return new OrientationTransform(AxisCodes.Parse(text));
        }
        catch (FormatException e)
        {
            throw parameters.Invalid("axcodes", $"three letters, one of each pair L/R, P/A, S/I ({e.Message})");
        }
    }

    /// <inheritdoc/>
    protected override TransformSample ApplyOne(TransformSample sample, TransformContext context)
    {
        // Most NIfTI files are stored RAS already: nothing to copy then.
        var mapping = AxisReorientation.Plan(sample.Geometry.Direction, Axcodes);
        return mapping.IsIdentity ? sample : Remap(sample, mapping);
    }

    /// <summary>Applies an axis mapping to image and label alike; shared by the flips and rotations.</summary>
    internal static TransformSample Remap(TransformSample sample, AxisMapping mapping)
    {
        var (image, geometry) = AxisReorientation.Apply(sample.Image.Voxels, sample.Geometry, mapping);
        var label = sample.Label is null ? null : new LabelMap(geometry, AxisReorientation.Apply(sample.Label.Voxels, sample.Geometry, mapping).Voxels);
        return new TransformSample(new Volume(geometry, image), label);
    }
}
