namespace MiM.Bundles.Dicom.Codecs;

/// <summary>
/// RLE Lossless (PS3.5 Annex G): one segment per byte plane, ordered by sample and, within a
/// sample, most significant byte first.
/// </summary>
public sealed class RleLosslessDecoder : IPixelDecoder
{
    /// <summary>The codec name used in exception messages.</summary>
    public const string CodecName = "RLE Lossless";

    /// <inheritdoc />
    public string TransferSyntaxUid => TransferSyntaxes.RleLossless;

    /// <inheritdoc />
    public byte[] DecodeFrame(ReadOnlySpan<byte> frame, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        format.Validate(CodecName);
        var bytesPerSample = format.BytesPerSample;
        var header = RleHeader.Read(frame, format.SamplesPerPixel * bytesPerSample);
        var output = new byte[format.FrameLength];
        var layout = new NativeLayout(format);
        var pixels = (int)format.PixelCount;
        for (var s = 0; s < header.SegmentCount; s++)
        {
            var sample = s / bytesPerSample;
            var significance = s % bytesPerSample;

            // Segments run most significant byte first; native output is little-endian.
            var byteIndex = bytesPerSample - 1 - significance;
            PackBitsSegment.Expand(header.Segment(frame, s), s + 1, output, layout.Start(sample, byteIndex), layout.Stride, pixels);
        }

        return output;
    }
}
