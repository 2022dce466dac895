using System.Buffers.Binary;

namespace MiM.Bundles.Dicom.Codecs;

/// <summary>
/// The 64-byte RLE header of PS3.5 Annex G.5: a segment count (1..15) and fifteen segment
/// offsets, each from the start of the frame.
/// </summary>
internal sealed class RleHeader
{
    public const int Length = 64;
    private const int MaxSegments = 15;

    private readonly int[] _starts;
    private readonly int[] _ends;

    private RleHeader(int[] starts, int[] ends)
    {
        _starts = starts;
        _ends = ends;
    }

    public int SegmentCount => _starts.Length;

    /// <summary>Reads and checks the header against the frame length and the expected segment count.</summary>
    public static RleHeader Read(ReadOnlySpan<byte> frame, int expectedSegments)
    {
        if (frame.Length < Length)
        {
            throw new PixelDecodeException(RleLosslessDecoder.CodecName, $"frame of {frame.Length} bytes is shorter than the 64-byte RLE header");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (count is 0 or > MaxSegments)
        {
            throw new PixelDecodeException(RleLosslessDecoder.CodecName, $"header segment count {count} is outside 1..15");
        }

        if (count != expectedSegments)
        {
            throw new PixelDecodeException(RleLosslessDecoder.CodecName, $"header has {count} segments but the pixel format needs {expectedSegments} (samples x bytes per sample)");
        }

        var starts = new int[count];
        for (var i = 0; i < count; i++)
        {
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 + (4 * i))..]);
            if (offset < Length || offset >= (uint)frame.Length)
            {
                throw new PixelDecodeException(RleLosslessDecoder.CodecName, $"segment {i + 1} offset {offset} is outside the frame (64..{frame.Length - 1})");
            }

            if (i > 0 && offset <= (uint)starts[i - 1])
            {
                throw new PixelDecodeException(RleLosslessDecoder.CodecName, $"segment {i + 1} offset {offset} does not follow segment {i} offset {starts[i - 1]}");
            }

            starts[i] = (int)offset;
        }

        var ends = new int[count];
        for (var i = 0; i < count; i++)
        {
            ends[i] = i + 1 < count ? starts[i + 1] : frame.Length;
        }

        return new RleHeader(starts, ends);
    }

    public ReadOnlySpan<byte> Segment(ReadOnlySpan<byte> frame, int index) => frame[_starts[index].._ends[index]];
}
