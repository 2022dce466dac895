using MiM.Bundles.Dicom.Derived;

namespace MiM.Bundles.Dicom.Segmentation;

/// <summary>How segment pixels are stored (Segmentation Type, PS3.3 C.8.20.2).</summary>
public enum SegmentationPixels
{
    /// <summary>BINARY: one bit per pixel, bit-packed across frames (PS3.5 8.1.1). The default.</summary>
    Binary,

    /// <summary>FRACTIONAL (PROBABILITY): one byte per pixel, 0 or the maximum fractional value 255 for a label map.</summary>
    Fractional,
}

/// <summary>Options of <see cref="SegmentationWriter"/>; the destination-dependent ones (pixels, empty frames) are per destination.</summary>
public sealed record SegmentationOptions : DerivedObjectOptions
{
    /// <summary>The bundle's name, written as the segment algorithm name.</summary>
    public required string AlgorithmName { get; init; }

    /// <summary>The bundle's version, written as the algorithm version.</summary>
    public required string AlgorithmVersion { get; init; }

    /// <summary>BINARY (default) or FRACTIONAL.</summary>
    public SegmentationPixels Pixels { get; init; } = SegmentationPixels.Binary;

    /// <summary>Write a frame for every segment on every plane, even where the segment is absent (some viewers want a full stack).</summary>
    public bool KeepEmptyFrames { get; init; }

    /// <summary>Content Label (CS: upper case, digits, space, underscore; at most 16 characters).</summary>
    public string ContentLabel { get; init; } = "SEGMENTATION";

    /// <summary>Content Creator's Name; null writes it empty (Type 2).</summary>
    public string? ContentCreatorName { get; init; }
}
