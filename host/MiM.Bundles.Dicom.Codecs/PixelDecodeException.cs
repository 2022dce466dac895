namespace MiM.Bundles.Dicom.Codecs;

/// <summary>
/// The one exception every decoder throws for malformed or unsupported pixel data, so callers
/// catch a single type whatever the codec.
/// </summary>
public sealed class PixelDecodeException : Exception
{
    /// <summary>Creates an exception with a message only.</summary>
    public PixelDecodeException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What was wrong.</param>
    public PixelDecodeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception wrapping a cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public PixelDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception naming the codec and what was wrong.</summary>
    /// <param name="codec">The codec (e.g. "RLE Lossless").</param>
    /// <param name="problem">Where (fragment/segment/marker) and what was wrong.</param>
    public PixelDecodeException(string codec, string problem)
        : base($"{codec}: {problem}")
    {
        Codec = codec;
    }

    /// <summary>The codec that failed, when known.</summary>
    public string? Codec { get; }
}
