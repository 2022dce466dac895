using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Imaging.Transforms.Configuration;

namespace MiM.Bundles.Imaging.Transforms.IO;

/// <summary>
/// MONAI's <c>LoadImage</c>: reads the image (and label) of a <see cref="SampleSource"/> from NIfTI files; a source the
/// caller already loaded (e.g. a series the host assembled from DICOM) passes through unchanged. A DICOM folder is not
/// read here: the DICOM layer loads it and hands over the volume with <see cref="SampleSource.FromVolumes"/>.
/// </summary>
public sealed class LoadImageTransform
{
    /// <summary>The name in pipeline files.</summary>
    public const string Name = "LoadImage";

    /// <summary>Reads no parameters besides <c>keys</c>; MONAI's <c>image_only</c> and <c>ensure_channel_first</c> are accepted and have no effect (channels are implicit here).</summary>
    public static LoadImageTransform FromParameters(TransformParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _ = parameters.OptionalBool("image_only");
        _ = parameters.OptionalBool("ensure_channel_first");
        return new LoadImageTransform();
    }

    /// <summary>The sample of <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentException">The image path is a folder (a DICOM series the caller must load).</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="NiftiFormatException">A file is not a NIfTI image this reader supports.</exception>
    public static TransformSample Load(SampleSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Loaded is { } loaded)
        {
            return loaded;
        }

        var imagePath = source.ImagePath!;
        if (Directory.Exists(imagePath))
        {
            throw new ArgumentException(
                $"LoadImage reads NIfTI files; \"{imagePath}\" is a folder. Load a DICOM series with the DICOM layer and pass it with SampleSource.FromVolumes.",
                nameof(source));
        }

        var image = NiftiReader.ReadVolume(imagePath);
        var label = source.LabelPath is null ? null : NiftiReader.ReadLabelMap(source.LabelPath);
        return new TransformSample(image, label);
    }
}
