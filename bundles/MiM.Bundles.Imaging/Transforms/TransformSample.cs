using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Transforms;

/// <summary>
/// One sample flowing through a pipeline: the image (MONAI's "image" key) and, for training, its label map ("label")
/// on the same grid. Spatial transforms move both together; intensity transforms touch the image only.
/// </summary>
/// <remarks>
/// Transforms never write into their input, but an output may share a buffer with it (a transform that does nothing
/// returns its input): treat voxels as read-only, and copy before changing them in place.
/// </remarks>
public sealed class TransformSample
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
    public Volume Image { get; }

    /// <summary>The label map on the image's grid, or null (inference).</summary>
    public LabelMap? Label { get; }

    /// <summary>The grid both lie on.</summary>
    public VolumeGeometry Geometry => Image.Geometry;

    /// <summary>The same label map with new image voxels on the same grid.</summary>
    public TransformSample WithImageVoxels(float[] voxels) => new(new Volume(Geometry, voxels), Label);
}
