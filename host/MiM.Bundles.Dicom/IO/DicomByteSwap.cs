namespace MiM.Bundles.Dicom.IO;

/// <summary>Converts big-endian values to the little-endian form the data set model keeps.</summary>
internal static class DicomByteSwap
{
    /// <summary>Reverses each <paramref name="unit"/>-byte group in place; a ragged tail is left as is.</summary>
    public static void ToLittleEndian(Span<byte> bytes, int unit)
    {
        if (unit <= 1)
        {
            return;
        }

        for (var i = 0; i + unit <= bytes.Length; i += unit)
        {
            bytes.Slice(i, unit).Reverse();
        }
    }
}
