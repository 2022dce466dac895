using System.Buffers.Binary;

namespace MiM.Bundles.Dicom.Codecs;

/// <summary>
/// Groups the fragments of encapsulated Pixel Data (PS3.5 A.4) into frames. Rules, in order:
/// <list type="number">
/// <item>A non-empty Basic Offset Table must hold one 32-bit offset per frame, the first 0, strictly
/// increasing, each landing on a fragment item (offsets count from the first fragment's item tag,
/// 8 header bytes per item); a frame is the fragments from its offset to the next.</item>
/// <item>Otherwise, as many fragments as frames: one fragment per frame.</item>
/// <item>Otherwise, one frame: all fragments concatenated.</item>
/// <item>Otherwise, more fragments than frames: a frame starts at each fragment that begins with a
/// JPEG SOI (0xFFD8) and runs up to the next one or the end; the count must match.</item>
/// </list>
/// Anything else is a <see cref="PixelDecodeException"/>.
/// </summary>
public static class FrameSplitter
{
    private const string Codec = "Encapsulated Pixel Data";
    private const int ItemHeaderLength = 8;

    /// <summary>Splits fragments into frames.</summary>
    /// <param name="basicOffsetTable">The value of the first item (may be empty).</param>
    /// <param name="fragments">The values of the following fragment items, in order.</param>
    /// <param name="numberOfFrames">Number of Frames (0028,0008), 1 when absent.</param>
    /// <returns>One byte array per frame.</returns>
    /// <exception cref="PixelDecodeException">The fragments cannot be matched to the frames.</exception>
    public static IReadOnlyList<byte[]> Split(ReadOnlySpan<byte> basicOffsetTable, IReadOnlyList<byte[]> fragments, int numberOfFrames)
    {
        ArgumentNullException.ThrowIfNull(fragments);
        if (numberOfFrames < 1)
        {
            throw new PixelDecodeException(Codec, $"number of frames {numberOfFrames} is below 1");
        }

        if (fragments.Count == 0)
        {
            throw new PixelDecodeException(Codec, "no fragment items follow the basic offset table");
        }

        if (!basicOffsetTable.IsEmpty)
        {
            return ByOffsetTable(basicOffsetTable, fragments, numberOfFrames);
        }

        if (fragments.Count == numberOfFrames)
        {
            return [.. fragments];
        }

        if (numberOfFrames == 1)
        {
            return [Concatenate(fragments, 0, fragments.Count)];
        }

        if (fragments.Count > numberOfFrames)
        {
            return BySoiMarkers(fragments, numberOfFrames);
        }

        throw new PixelDecodeException(Codec, $"{fragments.Count} fragments cannot hold {numberOfFrames} frames");
    }

    private static byte[][] ByOffsetTable(ReadOnlySpan<byte> table, IReadOnlyList<byte[]> fragments, int frames)
    {
        if (table.Length % 4 != 0 || table.Length / 4 != frames)
        {
            throw new PixelDecodeException(Codec, $"basic offset table of {table.Length} bytes does not hold {frames} 32-bit offsets");
        }

        // Item start positions, counted the way the offset table counts them.
        var starts = new long[fragments.Count + 1];
        for (var i = 0; i < fragments.Count; i++)
        {
            starts[i + 1] = starts[i] + ItemHeaderLength + fragments[i].Length;
        }

        var firstFragment = new int[frames + 1];
        firstFragment[frames] = fragments.Count;
        for (var f = 0; f < frames; f++)
        {
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(table[(4 * f)..]);
            var index = Array.BinarySearch(starts, 0, fragments.Count, offset);
            if (index < 0 || (f == 0 && index != 0) || (f > 0 && index <= firstFragment[f - 1]))
            {
                throw new PixelDecodeException(Codec, $"basic offset table entry {f} ({offset}) is not the start of a later fragment item");
            }

            firstFragment[f] = index;
        }

        var result = new byte[frames][];
        for (var f = 0; f < frames; f++)
        {
            result[f] = Concatenate(fragments, firstFragment[f], firstFragment[f + 1]);
        }

        return result;
    }

    private static List<byte[]> BySoiMarkers(IReadOnlyList<byte[]> fragments, int frames)
    {
        var starts = new List<int>();
        for (var i = 0; i < fragments.Count; i++)
        {
            var f = fragments[i];
            if (f.Length >= 2 && f[0] == 0xFF && f[1] == 0xD8)
            {
                starts.Add(i);
            }
        }

        if (starts.Count != frames || starts[0] != 0)
        {
            throw new PixelDecodeException(Codec, $"empty offset table, {fragments.Count} fragments and {frames} frames, but {starts.Count} fragments start with a JPEG SOI (first at {(starts.Count > 0 ? starts[0] : -1)})");
        }

        starts.Add(fragments.Count);
        var result = new List<byte[]>(frames);
        for (var k = 0; k < frames; k++)
        {
            result.Add(Concatenate(fragments, starts[k], starts[k + 1]));
        }

        return result;
    }

    private static byte[] Concatenate(IReadOnlyList<byte[]> fragments, int from, int to)
    {
        if (to - from == 1)
        {
            return fragments[from];
        }

        long length = 0;
        for (var i = from; i < to; i++)
        {
            length += fragments[i].Length;
        }

        if (length > Array.MaxLength)
        {
            throw new PixelDecodeException(Codec, $"frame of {length} bytes is larger than one array can hold");
        }

        var frame = new byte[length];
        var p = 0;
        for (var i = from; i < to; i++)
        {
            fragments[i].CopyTo(frame, p);
            p += fragments[i].Length;
        }

        return frame;
    }
}
