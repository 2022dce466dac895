using MiM.Bundles.Imaging.Transforms.CropPad;
using MiM.Bundles.Imaging.Transforms.Intensity;
using MiM.Bundles.Imaging.Transforms.Spatial;

namespace MiM.Bundles.Imaging.Transforms.Configuration;

/// <summary>
/// The transforms a pipeline file may name, by MONAI's name. MONAI's dictionary spelling with a trailing "d"
/// ("Spacingd") is accepted too, since the transforms here always act on the image and label keys together.
/// </summary>
public static class TransformCatalog
{
    private static readonly Dictionary<string, Func<TransformParameters, ISampleTransform>> Factories = new(StringComparer.Ordinal)
    {
        ["Orientation"] = OrientationTransform.FromParameters,
        ["Spacing"] = SpacingTransform.FromParameters,
        ["ScaleIntensityRange"] = ScaleIntensityRangeTransform.FromParameters,
        ["CropForeground"] = CropForegroundTransform.FromParameters,
        ["SpatialPad"] = SpatialPadTransform.FromParameters,
        ["RandCropByPosNegLabel"] = RandCropByPosNegLabelTransform.FromParameters,
        ["RandFlip"] = RandFlipTransform.FromParameters,
        ["RandRotate90"] = RandRotate90Transform.FromParameters,
        ["RandShiftIntensity"] = RandShiftIntensityTransform.FromParameters,
    };

    /// <summary>The names accepted (besides LoadImage, which the pipeline handles itself), sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Factories.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The MONAI name for <paramref name="name"/> ("Spacingd" → "Spacing"), or null when unknown.</summary>
    public static string? Canonical(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Factories.ContainsKey(name) || name == "LoadImage" ? name
            : name.EndsWith('d') && (Factories.ContainsKey(name[..^1]) || name[..^1] == "LoadImage") ? name[..^1]
            : null;
    }

    /// <summary>Builds the transform that <paramref name="parameters"/> describe, rejecting unknown parameters.</summary>
    /// <exception cref="TransformConfigException">The name is unknown or a parameter is wrong.</exception>
    public static ISampleTransform Create(string name, TransformParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!Factories.TryGetValue(name, out var factory))
        {
            throw new TransformConfigException(
                $"transforms[{parameters.Index}]: unknown transform \"{name}\"; expected one of LoadImage, {string.Join(", ", Names)}.");
        }

        var transform = factory(parameters);
        parameters.RejectUnknown();
        return transform;
    }
}
