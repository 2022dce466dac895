using System.Buffers.Binary;
using System.Numerics;

namespace MiM.Bundles.Dicom.Network.Inbox.Journal;

/// <summary>CRC-32C (Castagnoli) with the CPU's instruction where there is one; it tells a whole journal record from
/// one a crash tore or from stale bytes of an earlier lap.</summary>
internal static class Crc32C
{
    /// <summary>The starting value of a running checksum.</summary>
    public const uint Seed = 0xFFFFFFFFu;

    /// <summary>Continues <paramref name="crc"/> over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    /// <summary>The final value of a running checksum.</summary>
    public static uint Finish(uint crc) => ~crc;
}
