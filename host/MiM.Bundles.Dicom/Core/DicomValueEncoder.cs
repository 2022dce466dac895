using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace MiM.Bundles.Dicom.Core;

/// <summary>Turns strings and numbers into the bytes of a value of a given VR (little endian, unpadded).</summary>
internal static class DicomValueEncoder
{
    public static byte[] Strings(DicomVr vr, IReadOnlyList<string> values, Encoding encoding)
    {
        if (!DicomVrInfo.IsString(vr))
        {
            return Numbers(vr, [.. values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? d
                : throw new DicomException($"'{v}' is not a number for VR {vr}"))]);
        }

        if (values.Count > 1 && !DicomVrInfo.IsMultiValuedString(vr))
        {
            throw new DicomException($"VR {vr} holds a single value; got {values.Count}");
        }

        if (values.Any(v => v.Contains('\\', StringComparison.Ordinal)) && DicomVrInfo.IsMultiValuedString(vr))
        {
            throw new DicomException($"a {vr} value may not contain a backslash (it separates values)");
        }

        var text = string.Join('\\', values);
        return (DicomVrInfo.UsesCharacterSet(vr) ? encoding : Encoding.Latin1).GetBytes(text);
    }

    public static byte[] Numbers(DicomVr vr, IReadOnlyList<double> values)
    {
        try
        {
            return NumbersUnchecked(vr, values);
        }
        catch (OverflowException e)
        {
            throw new DicomException($"a value is out of range for VR {vr}", e);
        }
    }

    private static byte[] NumbersUnchecked(DicomVr vr, IReadOnlyList<double> values)
    {
        switch (vr)
        {
            case DicomVr.DS or DicomVr.IS:
                var text = string.Join('\\', values.Select(v => vr == DicomVr.IS
                    ? ((long)v).ToString(CultureInfo.InvariantCulture)
                    : DecimalString(v)));
                return Encoding.ASCII.GetBytes(text);
        }

        var size = DicomVrInfo.SwapUnit(vr);
        if (size == 1 || vr == DicomVr.AT)
        {
            throw new DicomException($"VR {vr} does not hold numbers");
        }

        var bytes = new byte[values.Count * size];
        for (var i = 0; i < values.Count; i++)
        {
            var span = bytes.AsSpan(i * size, size);
            var v = values[i];
            switch (vr)
            {
                case DicomVr.US or DicomVr.OW: BinaryPrimitives.WriteUInt16LittleEndian(span, checked((ushort)v)); break;
                case DicomVr.SS: BinaryPrimitives.WriteInt16LittleEndian(span, checked((short)v)); break;
                case DicomVr.UL or DicomVr.OL: BinaryPrimitives.WriteUInt32LittleEndian(span, checked((uint)v)); break;
                case DicomVr.SL: BinaryPrimitives.WriteInt32LittleEndian(span, checked((int)v)); break;
                case DicomVr.FL or DicomVr.OF: BinaryPrimitives.WriteSingleLittleEndian(span, (float)v); break;
                case DicomVr.FD or DicomVr.OD: BinaryPrimitives.WriteDoubleLittleEndian(span, v); break;
                case DicomVr.SV: BinaryPrimitives.WriteInt64LittleEndian(span, checked((long)v)); break;
                default: BinaryPrimitives.WriteUInt64LittleEndian(span, checked((ulong)v)); break;
            }
        }

        return bytes;
    }

    public static byte[] Tags(IReadOnlyList<DicomTag> tags)
    {
        var bytes = new byte[tags.Count * 4];
        for (var i = 0; i < tags.Count; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4), tags[i].Group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4 + 2), tags[i].Element);
        }

        return bytes;
    }

    /// <summary>A DS value: at most 16 characters (PS3.5), shortest round-trip form when it fits.</summary>
    private static string DecimalString(double v)
    {
        var text = v.ToString("R", CultureInfo.InvariantCulture);
        for (var digits = 15; text.Length > 16 && digits > 0; digits--)
        {
            text = v.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        return text;
    }
}
