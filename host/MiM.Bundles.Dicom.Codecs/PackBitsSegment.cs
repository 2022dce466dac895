namespace MiM.Bundles.Dicom.Codecs;

/// <summary>
/// Expands one PackBits-style RLE segment (PS3.5 G.3.2) into every <c>stride</c>-th byte of the
/// output: header byte n in 0..127 copies n+1 literal bytes, -1..-127 repeats the next byte 1-n
/// times, -128 is a no-op.
/// </summary>
internal static class PackBitsSegment
{
    public static void Expand(ReadOnlySpan<byte> segment, int segmentNumber, Span<byte> output, int start, int stride, int count)
    {
        var written = 0;
        var o = start;
        var i = 0;
        while (written < count)
        {
            if (i >= segment.Length)
            {
                throw new PixelDecodeException(RleLosslessDecoder.CodecName, $"segment {segmentNumber} ended after {written} of {count} bytes");
            }

            var n = (sbyte)segment[i++];
            if (n >= 0)
            {
                var run = n + 1;
                if (i + run > segment.Length || written + run > count)
                {
                    throw new PixelDecodeException(RleLosslessDecoder.CodecName, $"segment {segmentNumber} literal run of {run} at byte {i - 1} overruns the segment or the {count}-byte plane");
                }

                for (var k = 0; k < run; k++)
                {
                    output[o] = segment[i++];
                    o += stride;
                }

                written += run;
            }
            else if (n != -128)
            {
                var run = 1 - n;
                if (i >= segment.Length || written + run > count)
                {
                    throw new PixelDecodeException(RleLosslessDecoder.CodecName, $"segment {segmentNumber} replicate run of {run} at byte {i - 1} overruns the segment or the {count}-byte plane");
                }

                var value = segment[i++];
                for (var k = 0; k < run; k++)
                {
                    output[o] = value;
                    o += stride;
                }

                written += run;
            }
        }
    }
}
