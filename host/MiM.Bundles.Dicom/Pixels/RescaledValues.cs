using System.Numerics;
using System.Runtime.InteropServices;
using MiM.Bundles.Dicom.Codecs;

namespace MiM.Bundles.Dicom.Pixels;

/// <summary>
/// Native greyscale frame bytes straight to rescaled values (stored value × slope + intercept), without the int[] of
/// <see cref="StoredValues"/>: the series loader's hot loop. Results equal <c>(float)(stored × slope + intercept)</c>.
/// </summary>
internal static class RescaledValues
{
    /// <summary>Writes <paramref name="target"/>.Length rescaled samples of a one-sample-per-pixel frame.</summary>
    public static void Convert(ReadOnlySpan<byte> bytes, PixelFormat format, double slope, double intercept, Span<float> target)
    {
        if (format.BytesPerSample != 2 || format.SamplesPerPixel != 1 || !BitConverter.IsLittleEndian)
        {
            var stored = StoredValues.Convert(bytes, format);
            for (var p = 0; p < target.Length; p++)
            {
                target[p] = (float)((stored[p] * slope) + intercept);
            }

            return;
        }

        var words = MemoryMarshal.Cast<byte, ushort>(bytes)[..target.Length];
        var shift = 16 - format.BitsStored;
        if (shift == 0 && format.Signed && IsExactInSingle(slope, intercept))
        {
            Signed16(MemoryMarshal.Cast<ushort, short>(words), (float)slope, (float)intercept, target);
            return;
        }

        for (var p = 0; p < words.Length; p++)
        {
            // Shifting up then back (arithmetically when signed) keeps the low Bits Stored bits, sign-extended.
            int stored = format.Signed ? (short)(words[p] << shift) >> shift : (ushort)(words[p] << shift) >> shift;
            target[p] = (float)((stored * slope) + intercept);
        }
    }

    /// <summary>
    /// Whole slope and intercept small enough that every 16-bit stored value times slope plus intercept is a whole
    /// number below 2^24: float arithmetic is then exact and equals the double computation rounded to float.
    /// </summary>
    private static bool IsExactInSingle(double slope, double intercept) =>
        slope == Math.Round(slope) && intercept == Math.Round(intercept) && (Math.Abs(slope) * 32768) + Math.Abs(intercept) < (1 << 24);

    private static void Signed16(ReadOnlySpan<short> source, float slope, float intercept, Span<float> target)
    {
        var p = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<float>(slope);
            var offset = new Vector<float>(intercept);
            for (; p <= source.Length - Vector<short>.Count; p += Vector<short>.Count)
            {
                Vector.Widen(new Vector<short>(source[p..]), out var low, out var high);
                ((Vector.ConvertToSingle(low) * scale) + offset).CopyTo(target[p..]);
                ((Vector.ConvertToSingle(high) * scale) + offset).CopyTo(target[(p + Vector<int>.Count)..]);
            }
        }

        for (; p < source.Length; p++)
        {
            target[p] = (source[p] * slope) + intercept;
        }
    }
}
