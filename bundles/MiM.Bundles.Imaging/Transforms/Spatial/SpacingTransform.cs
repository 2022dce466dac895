using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms.Configuration;
using MiM.Bundles.Imaging.Transforms.Grids;

namespace MiM.Bundles.Imaging.Transforms.Spatial;

/// <summary>
/// MONAI's <c>Spacing(pixdim=...)</c>: resamples to new voxel spacing, keeping the direction and the centre of the
/// first voxel. The output has round((n − 1)·old/new + 1) voxels per axis, as MONAI's <c>compute_shape_offset</c>
/// gives; the image is interpolated trilinearly ("bilinear" in MONAI's 3-D naming) or by nearest neighbour, the label
/// map always by nearest neighbour. Positions past the edge take the edge value (MONAI's "border" padding).
/// </summary>
public sealed class SpacingTransform : SingleSampleTransform
{
    /// <summary>Resamples to <paramref name="pixdim"/> (mm along i, j, k; a value ≤ 0 keeps that axis's spacing).</summary>
    public SpacingTransform(IReadOnlyList<double> pixdim, Interpolation imageMode = Interpolation.Linear)
    {
        ArgumentNullException.ThrowIfNull(pixdim);
        if (pixdim.Count != 3)
        {
            throw new ArgumentException($"pixdim needs 3 values, had {pixdim.Count}.", nameof(pixdim));
        }

        Pixdim = [.. pixdim];
        ImageMode = imageMode;
    }

    /// <inheritdoc/>
    public override string Name => "Spacing";

    /// <summary>The target spacing along i, j, k; entries ≤ 0 keep the input's.</summary>
    public IReadOnlyList<double> Pixdim { get; }

    /// <summary>How the image is interpolated.</summary>
    public Interpolation ImageMode { get; }

    /// <summary>Reads <c>pixdim</c> (required) and <c>mode</c> ("bilinear" or "nearest", or a pair [image, label] whose label mode is "nearest").</summary>
    public static SpacingTransform FromParameters(TransformParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var pixdim = parameters.OptionalNumbers("pixdim", 3) ?? throw parameters.Missing("pixdim", "a number or an array of 3 numbers (mm)");
        var modes = parameters.OptionalStrings("mode") ?? ["bilinear"];
        if (modes.Length is < 1 or > 2)
        {
            throw parameters.Invalid("mode", "one mode for the image, or a pair [image mode, label mode]");
        }

        if (modes.Length == 2 && !modes[1].Equals("nearest", StringComparison.OrdinalIgnoreCase))
        {
            throw parameters.Invalid("mode", $"\"nearest\" for the label (labels are never interpolated), was \"{modes[1]}\"");
        }

        var imageMode = modes[0].ToLowerInvariant() switch
        {
            "bilinear" or "trilinear" or "linear" => Interpolation.Linear,
            "nearest" => Interpolation.Nearest,
            _ => throw parameters.Invalid("mode", $"\"bilinear\" or \"nearest\" for the image, was \"{modes[0]}\""),
        };
        return new SpacingTransform(pixdim, imageMode);
    }

    /// <summary>The grid <paramref name="geometry"/> becomes: same origin and direction, new spacing, MONAI's voxel counts.</summary>
    public VolumeGeometry TargetGeometry(VolumeGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var sizes = new int[3];
        var spacings = new double[3];
        for (var a = 0; a < 3; a++)
        {
            spacings[a] = Pixdim[a] > 0 ? Pixdim[a] : geometry.Spacing[a];

            // numpy's round (half to even) of the extent plus one, exactly as compute_shape_offset writes it.
            sizes[a] = Math.Max(1, (int)Math.Round(((geometry.Size[a] - 1) * geometry.Spacing[a] / spacings[a]) + 1.0, MidpointRounding.ToEven));
        }

        return geometry with
        {
            Size = new GridSize(sizes[0], sizes[1], sizes[2]),
            Spacing = new Vector3D(spacings[0], spacings[1], spacings[2]),
        };
    }

    /// <inheritdoc/>
    protected override TransformSample ApplyOne(TransformSample sample, TransformContext context)
    {
        var source = sample.Geometry;
        var target = TargetGeometry(source);
        var image = GridResampler.Resample(sample.Image.Voxels, source, target, ImageMode, OutsidePolicy.Border, 0f, context.Parallel);
        var label = sample.Label is null
            ? null
            : new LabelMap(target, GridResampler.ResampleNearest(sample.Label.Voxels, source, target, OutsidePolicy.Border, (ushort)0, context.Parallel));
        return new TransformSample(new Volume(target, image), label);
    }
}
