using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Transforms;

/// <summary>
/// Where a pipeline's sample comes from: NIfTI files that LoadImage reads, or volumes the caller already holds (the
/// host's seam for a series it assembled from DICOM).
/// </summary>
public sealed class SampleSource
{
    private SampleSource(string? imagePath, string? labelPath, TransformSample? loaded)
    {
        ImagePath = imagePath;
        LabelPath = labelPath;
        Loaded = loaded;
    }

    /// <summary>The NIfTI image file, when the source is files.</summary>
    public string? ImagePath { get; }

    /// <summary>The NIfTI label file, when the source is files and has labels.</summary>
    public string? LabelPath { get; }

    /// <summary>The sample itself, when the caller loaded it.</summary>
    public TransformSample? Loaded { get; }

    /// <summary>A NIfTI image and optional NIfTI label map to be read by LoadImage.</summary>
    public static SampleSource FromFiles(string imagePath, string? labelPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagePath);
        return new SampleSource(imagePath, labelPath, null);
    }

    /// <summary>A volume (and label map) the caller loaded, e.g. from a DICOM series; LoadImage passes it through.</summary>
    public static SampleSource FromVolumes(Volume image, LabelMap? label = null) => new(null, null, new TransformSample(image, label));

    /// <inheritdoc/>
    public override string ToString() => Loaded is null ? $"files {ImagePath} + {LabelPath ?? "(no label)"}" : $"volume {Loaded.Geometry.Size}";
}
