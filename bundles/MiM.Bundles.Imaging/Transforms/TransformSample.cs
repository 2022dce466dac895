using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Transforms;

/// <summary>
/// One sample flowing through a pipeline: the image (MONAI's "image" key) and, for training, its label map ("label")
/// on the same grid. Spatial transforms move both together; intensity transforms touch the image only.
/// </summary>
public sealed record TransformSample
{
    /// <summary>A sample of <paramref name="image"/> and optionally <paramref name="label"/>.</summary>
    /// <exception cref="ArgumentException">The label map does not lie on the image's grid.</exception>
    public TransformSample(Volume image, LabelMap? label = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (label is not null && !label.Geometry.IsSameGrid(image.Geometry))
        {
            throw new ArgumentException(
                $"The label map ({label.Size}, origin {label.Geometry.Origin}) does not lie on the image's grid ({image.Size}, origin {image.Geometry.Origin}).",
                nameof(label));
        }

        Image = image;
        Label = label;
    }

    /// <summary>The intensity volume.</summary>
    public Volume Image { get; init; }

    /// <summary>The label map on the image's grid, or null (inference).</summary>
    public LabelMap? Label { get; init; }

    /// <summary>The grid both lie on.</summary>
    public VolumeGeometry Geometry => Image.Geometry;
}
