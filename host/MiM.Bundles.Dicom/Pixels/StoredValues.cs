using System.Buffers.Binary;
using MiM.Bundles.Dicom.Codecs;

namespace MiM.Bundles.Dicom.Pixels;

/// <summary>
/// Turns native little-endian frame bytes into stored values: the low Bits Stored bits of each sample, sign-extended
/// when Pixel Representation is 1 (bits above High Bit, e.g. overlay bits, are dropped).
/// </summary>
internal static class StoredValues
{
    /// <summary>The stored values of one frame of <paramref name="format"/>, samples in the order of the bytes.</summary>
    public static int[] Convert(ReadOnlySpan<byte> bytes, PixelFormat format)
    {
        var count = (int)(format.PixelCount * format.SamplesPerPixel);
        var values = new int[count];
        var bits = format.BitsStored;
        var mask = (1 << bits) - 1;
        var signBit = 1 << (bits - 1);
        for (var p = 0; p < count; p++)
        {
            int raw = format.BytesPerSample == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * p)..]) : bytes[p];
            raw &= mask;
            values[p] = format.Signed && (raw & signBit) != 0 ? raw - (1 << bits) : raw;
        }

        return values;
    }
}
