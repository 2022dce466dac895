using System.Diagnostics.CodeAnalysis;

namespace MiM.Bundles.Dicom.Codecs;

/// <summary>
/// The image pixel module attributes a decoder needs to size and lay out one frame.
/// </summary>
/// <param name="Rows">Rows (0028,0010).</param>
/// <param name="Columns">Columns (0028,0011).</param>
/// <param name="SamplesPerPixel">Samples per Pixel (0028,0002): 1 or 3.</param>
/// <param name="BitsAllocated">Bits Allocated (0028,0100): 8 or 16.</param>
/// <param name="BitsStored">Bits Stored (0028,0101): 1 to BitsAllocated.</param>
/// <param name="Signed">Pixel Representation (0028,0103) is 1 (two's complement).</param>
/// <param name="PlanarConfiguration">Planar Configuration (0028,0006) is 1: output colour-by-plane instead of interleaved.</param>
[SuppressMessage("Naming", "CA1720", Justification = "'Signed' is the agreed API name for Pixel Representation 1.")]
public sealed record PixelFormat(
    int Rows,
    int Columns,
    int SamplesPerPixel,
    int BitsAllocated,
    int BitsStored,
    bool Signed,
    bool PlanarConfiguration)
{
    /// <summary>Bytes per sample in the native output (1 or 2).</summary>
    public int BytesPerSample => BitsAllocated / 8;

    /// <summary>Pixels in one frame.</summary>
    public long PixelCount => (long)Rows * Columns;

    /// <summary>Native bytes of one decoded frame.</summary>
    public long FrameLength => PixelCount * SamplesPerPixel * BytesPerSample;

    /// <summary>Checks that the format is one the decoders can produce, before any allocation.</summary>
    /// <param name="codec">The codec name for the exception message.</param>
    /// <exception cref="PixelDecodeException">The format is out of range.</exception>
    public void Validate(string codec)
    {
        if (Rows <= 0 || Columns <= 0 || Rows > 65535 || Columns > 65535)
        {
            throw new PixelDecodeException(codec, $"image size {Rows}x{Columns} is outside 1..65535");
        }

        if (SamplesPerPixel is not (1 or 3))
        {
            throw new PixelDecodeException(codec, $"samples per pixel {SamplesPerPixel} is not 1 or 3");
        }

        if (BitsAllocated is not (8 or 16))
        {
            throw new PixelDecodeException(codec, $"bits allocated {BitsAllocated} is not 8 or 16");
        }

        if (BitsStored < 1 || BitsStored > BitsAllocated)
        {
            throw new PixelDecodeException(codec, $"bits stored {BitsStored} is outside 1..{BitsAllocated}");
        }

        // Arrays are int-indexed; refuse a frame that could not be allocated as one array.
        if (FrameLength > Array.MaxLength)
        {
            throw new PixelDecodeException(codec, $"frame of {FrameLength} bytes is larger than one array can hold");
        }
    }
}
