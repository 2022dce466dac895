namespace MiM.Bundles.Dicom.IO;

/// <summary>What to do with pixel data (7FE0,0010) and float pixel data (7FE0,0008/0009) at the top level.</summary>
public enum PixelDataReading
{
    /// <summary>Record offset and length and read the bytes on first access (reopening the file). The default;
    /// falls back to <see cref="Load"/> when the source cannot be reopened or is deflated.</summary>
    Defer,

    /// <summary>Read the bytes with the rest of the data set.</summary>
    Load,

    /// <summary>Stop reading at pixel data: the data set ends before it (header scans).</summary>
    StopBefore,
}

/// <summary>Options for reading a Part 10 file or raw data set.</summary>
public sealed record DicomReadOptions
{
    /// <summary>The defaults: pixel data deferred, 64 sequence levels.</summary>
    public static DicomReadOptions Default { get; } = new();

    /// <summary>How pixel data is read.</summary>
    public PixelDataReading PixelData { get; init; } = PixelDataReading.Defer;

    /// <summary>Deepest sequence nesting accepted; deeper is a <see cref="DicomException"/> (guards the stack).</summary>
    public int MaxSequenceDepth { get; init; } = 64;

    /// <summary>Largest inflated size of a deflated data set; guards against deflate bombs.</summary>
    public long MaxInflatedLength { get; init; } = 1L << 31;
}
