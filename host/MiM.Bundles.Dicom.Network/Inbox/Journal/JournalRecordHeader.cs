using System.Buffers.Binary;
using System.Text;

namespace MiM.Bundles.Dicom.Network.Inbox.Journal;

/// <summary>
/// The fixed part of a journal record, which is laid out as
/// <c>magic u32 | sequence u64 | data length u64 | name length u16 | name (UTF-8) | data | CRC-32C u32</c>, all little
/// endian, the CRC covering everything before it. The name is the instance's path below <c>instances/</c>
/// (<c>study/series/sop.dcm</c>); the data is the whole Part 10 file.
/// </summary>
/// <param name="Sequence">Increases by one per record across all segments; a record is replayed only when its
/// sequence is above the last checkpoint.</param>
/// <param name="Name">Relative path of the instance under <c>instances/</c>, with '/' separators.</param>
/// <param name="DataLength">Bytes of the Part 10 file that follow the name.</param>
internal sealed record JournalRecordHeader(long Sequence, string Name, long DataLength)
{
    /// <summary>"MIMJ" read as a little-endian integer.</summary>
    public const uint Magic = 0x4A4D494D;

    /// <summary>Bytes before the name.</summary>
    public const int FixedLength = 4 + 8 + 8 + 2;

    /// <summary>Bytes after the data (the CRC).</summary>
    public const int TrailerLength = 4;

    /// <summary>A longer name is not a record of ours (three UIDs of at most 64 characters and separators).</summary>
    public const int MaximumNameLength = 256;

    /// <summary>The record's whole length in the segment.</summary>
    public long RecordLength => FixedLength + Encoding.UTF8.GetByteCount(Name) + DataLength + TrailerLength;

    /// <summary>The bytes before the data.</summary>
    public byte[] Encode()
    {
        var name = Encoding.UTF8.GetBytes(Name);
        var bytes = new byte[FixedLength + name.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(4), Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(12), DataLength);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(20), (ushort)name.Length);
        name.CopyTo(bytes, FixedLength);
        return bytes;
    }

    /// <summary>Reads the fixed part; null when it cannot start a record (no magic, lengths out of range).</summary>
    /// <returns>The sequence, the data length and the name length.</returns>
    public static (long Sequence, long DataLength, int NameLength)? TryDecodeFixed(ReadOnlySpan<byte> bytes, long room)
    {
        if (bytes.Length < FixedLength || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
        {
            return null;
        }

        var sequence = BinaryPrimitives.ReadInt64LittleEndian(bytes[4..]);
        var dataLength = BinaryPrimitives.ReadInt64LittleEndian(bytes[12..]);
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[20..]);
        return sequence <= 0 || dataLength < 0 || nameLength is 0 or > MaximumNameLength || FixedLength + nameLength + dataLength + TrailerLength > room
            ? null
            : (sequence, dataLength, nameLength);
    }
}
