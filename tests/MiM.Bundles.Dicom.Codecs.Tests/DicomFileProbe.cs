using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MiM.Bundles.Dicom.Codecs.Tests;

/// <summary>
/// Test-only reading of the few things the tests need from a DICOM file, without the production
/// parser: the pixel format (via dcmdump), the encapsulated items, or native pixel data (by finding
/// the last top-level (7FE0,0010) in Explicit VR Little Endian).
/// </summary>
internal static partial class DicomFileProbe
{
    private static readonly byte[] PixelDataTag = [0xE0, 0x7F, 0x10, 0x00];

    public static (PixelFormat Format, int Frames) ReadFormat(string file)
    {
        var text = Peers.Output("dcmdump", Path.GetDirectoryName(file)!, "-M", "+L", file);
        var values = new Dictionary<string, string>();
        foreach (Match m in AttributeLine().Matches(text))
        {
            values.TryAdd(m.Groups[1].Value, m.Groups[2].Value.Trim('[', ']'));
        }

        int Get(string tag, int fallback) => values.TryGetValue(tag, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var format = new PixelFormat(
            Get("0028,0010", 0),
            Get("0028,0011", 0),
            Get("0028,0002", 1),
            Get("0028,0100", 0),
            Get("0028,0101", 0),
            Get("0028,0103", 0) == 1,
            Get("0028,0006", 0) == 1);
        return (format, Get("0028,0008", 1));
    }

    public static (byte[] OffsetTable, List<byte[]> Fragments) ReadFragments(string file)
    {
        var data = File.ReadAllBytes(file);
        // Encapsulated Pixel Data is OB by the standard, but some writers label it OW.
        byte[] header = [.. PixelDataTag, (byte)'O', (byte)'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF];
        var p = data.AsSpan().LastIndexOf(header);
        if (p < 0)
        {
            header[5] = (byte)'W';
            p = data.AsSpan().LastIndexOf(header);
        }

        Assert.True(p >= 0, $"{file} has no encapsulated Pixel Data");
        p += header.Length;
        var items = new List<byte[]>();
        while (true)
        {
            var group = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(p));
            var element = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(p + 2));
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(p + 4));
            p += 8;
            Assert.Equal(0xFFFE, group);
            if (element == 0xE0DD)
            {
                break;
            }

            Assert.Equal(0xE000, element);
            items.Add(data.AsSpan(p, length).ToArray());
            p += length;
        }

        return (items[0], items.GetRange(1, items.Count - 1));
    }

    public static byte[] ReadNativePixels(string file)
    {
        var data = File.ReadAllBytes(file);
        var span = data.AsSpan();
        var p = span.LastIndexOf(PixelDataTag);
        Assert.True(p >= 0 && span[p + 4] == 'O', $"{file} has no native Pixel Data");
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(p + 8)..]);
        return span.Slice(p + 12, length).ToArray();
    }

    [GeneratedRegex(@"^\((0028,[0-9a-f]{4})\) \w\w (\S+)", RegexOptions.Multiline)]
    private static partial Regex AttributeLine();
}
