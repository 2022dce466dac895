using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace MiM.Bundles.Dicom.Core;

/// <summary>Turns the bytes of a value into strings and numbers according to its VR.</summary>
internal static class DicomValueDecoder
{
    public static string[] Strings(DicomVr vr, byte[] bytes, Encoding encoding)
    {
        if (!DicomVrInfo.IsString(vr))
        {
            return NumbersAsStrings(vr, bytes);
        }

        if (bytes.Length == 0)
        {
            return [];
        }

        var text = (DicomVrInfo.UsesCharacterSet(vr) ? encoding : Encoding.Latin1).GetString(bytes);
        var values = DicomVrInfo.IsMultiValuedString(vr) ? text.Split('\\') : [text];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Trim(vr, values[i]);
        }

        return values;
    }

    public static string Trim(DicomVr vr, string value)
    {
        // UI pads with NUL; some writers pad other VRs with NUL too, which DCMTK also drops.
        var trimmed = value.TrimEnd(' ', '\0');
        if (vr == DicomVr.PN)
        {
            // Empty trailing component groups ("Doe^John=") carry nothing; pydicom and DCMTK's JSON drop them.
            trimmed = trimmed.TrimEnd('=');
        }

        return DicomVrInfo.KeepsLeadingSpaces(vr) ? trimmed : trimmed.TrimStart(' ');
    }

    public static int Count(DicomVr vr, byte[] bytes, Encoding encoding) => vr switch
    {
        _ when DicomVrInfo.IsString(vr) => Strings(vr, bytes, encoding).Length,
        DicomVr.SQ or DicomVr.None => 0,
        _ when DicomVrInfo.IsBulkBinary(vr) => bytes.Length == 0 ? 0 : 1,
        _ => bytes.Length / DicomVrInfo.SwapUnit(vr) / (vr == DicomVr.AT ? 2 : 1),
    };

    public static double[] Doubles(DicomVr vr, byte[] bytes, Encoding encoding, DicomTag tag)
    {
        switch (vr)
        {
            case DicomVr.FL or DicomVr.OF:
                return Read(bytes, 4, s => (double)BinaryPrimitives.ReadSingleLittleEndian(s));
            case DicomVr.FD or DicomVr.OD:
                return Read(bytes, 8, BinaryPrimitives.ReadDoubleLittleEndian);
            case DicomVr.DS or DicomVr.IS:
                return [.. Strings(vr, bytes, encoding).Where(s => s.Length > 0).Select(s => ParseDouble(s, tag))];
            default:
                return [.. Longs(vr, bytes, encoding, tag).Select(v => (double)v)];
        }
    }

    public static long[] Longs(DicomVr vr, byte[] bytes, Encoding encoding, DicomTag tag) => vr switch
    {
        DicomVr.US or DicomVr.OW => Read(bytes, 2, s => (long)BinaryPrimitives.ReadUInt16LittleEndian(s)),
        DicomVr.SS => Read(bytes, 2, s => (long)BinaryPrimitives.ReadInt16LittleEndian(s)),
        DicomVr.UL or DicomVr.OL => Read(bytes, 4, s => (long)BinaryPrimitives.ReadUInt32LittleEndian(s)),
        DicomVr.SL => Read(bytes, 4, s => (long)BinaryPrimitives.ReadInt32LittleEndian(s)),
        DicomVr.SV => Read(bytes, 8, BinaryPrimitives.ReadInt64LittleEndian),
        DicomVr.UV or DicomVr.OV => Read(bytes, 8, s => unchecked((long)BinaryPrimitives.ReadUInt64LittleEndian(s))),
        DicomVr.OB or DicomVr.UN => [.. bytes.Select(b => (long)b)],
        DicomVr.IS => [.. Strings(vr, bytes, encoding).Where(s => s.Length > 0).Select(s => ParseLong(s, tag))],
        DicomVr.DS or DicomVr.FL or DicomVr.FD or DicomVr.OF or DicomVr.OD =>
            [.. Doubles(vr, bytes, encoding, tag).Select(d => (long)Math.Round(d))],
        _ => throw new DicomException($"VR {vr} does not hold numbers", null, tag, null),
    };

    public static DicomTag[] Tags(byte[] bytes) => Read(bytes, 4, s => new DicomTag(
        BinaryPrimitives.ReadUInt16LittleEndian(s), BinaryPrimitives.ReadUInt16LittleEndian(s[2..])));

    private static string[] NumbersAsStrings(DicomVr vr, byte[] bytes) => vr switch
    {
        DicomVr.AT => [.. Tags(bytes).Select(t => $"({t.Group:x4},{t.Element:x4})")],
        DicomVr.FL or DicomVr.OF => Read(bytes, 4, s => BinaryPrimitives.ReadSingleLittleEndian(s).ToString("R", CultureInfo.InvariantCulture)),
        DicomVr.FD or DicomVr.OD => Read(bytes, 8, s => BinaryPrimitives.ReadDoubleLittleEndian(s).ToString("R", CultureInfo.InvariantCulture)),
        DicomVr.US or DicomVr.SS or DicomVr.UL or DicomVr.SL or DicomVr.SV or DicomVr.UV =>
            [.. Longs(vr, bytes, Encoding.Latin1, default).Select(v => vr == DicomVr.UV ? unchecked((ulong)v).ToString(CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture))],
        _ => [],
    };

    private static T[] Read<T>(byte[] bytes, int size, ReadFunc<T> read)
    {
        var values = new T[bytes.Length / size];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = read(bytes.AsSpan(i * size, size));
        }

        return values;
    }

    private delegate T ReadFunc<out T>(ReadOnlySpan<byte> span);

    private static double ParseDouble(string s, DicomTag tag) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new DicomException($"'{s}' is not a decimal string", null, tag, null);

    private static long ParseLong(string s, DicomTag tag) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new DicomException($"'{s}' is not an integer string", null, tag, null);
}
