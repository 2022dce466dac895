using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace MiM.Bundles.Dicom.Network.Inbox.Journal;

/// <summary>A whole record found in a segment: where its data lies.</summary>
/// <param name="Sequence">The record's sequence.</param>
/// <param name="Name">The instance's path under <c>instances/</c>.</param>
/// <param name="Segment">The segment file.</param>
/// <param name="DataOffset">Where the Part 10 bytes start in the segment.</param>
/// <param name="DataLength">How many there are.</param>
internal sealed record JournalRecordLocation(long Sequence, string Name, string Segment, long DataOffset, long DataLength);

/// <summary>
/// Reads the records of a segment from its start. Reading stops at the first record that is not whole (bad magic,
/// lengths out of range, CRC mismatch: a write a crash tore, or never-written space) and at the first sequence that
/// does not increase (stale bytes of the segment's previous lap). That is enough because the journal acknowledges
/// records only as a prefix in sequence order, so no acknowledged record lies beyond the first torn one.
/// </summary>
internal static class JournalScanner
{
    private const int ChunkLength = 1 << 18;

    /// <summary>The whole records of <paramref name="segment"/> in file order, and their highest sequence.</summary>
    public static List<JournalRecordLocation> Scan(string segment)
    {
        var found = new List<JournalRecordLocation>();
        using var file = new FileStream(segment, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        var length = file.Length;
        var handle = file.SafeFileHandle;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkLength);
        try
        {
            long offset = 0;
            long previous = 0;
            var head = new byte[JournalRecordHeader.FixedLength + JournalRecordHeader.MaximumNameLength];
            var trailer = new byte[JournalRecordHeader.TrailerLength];
            while (offset + JournalRecordHeader.FixedLength <= length)
            {
                if (RandomAccess.Read(handle, head.AsSpan(0, JournalRecordHeader.FixedLength), offset) < JournalRecordHeader.FixedLength
                    || JournalRecordHeader.TryDecodeFixed(head, length - offset) is not var (sequence, dataLength, nameLength)
                    || sequence <= previous
                    || RandomAccess.Read(handle, head.AsSpan(JournalRecordHeader.FixedLength, nameLength), offset + JournalRecordHeader.FixedLength) < nameLength)
                {
                    break;
                }

                var crc = Crc32C.Append(Crc32C.Seed, head.AsSpan(0, JournalRecordHeader.FixedLength + nameLength));
                var dataOffset = offset + JournalRecordHeader.FixedLength + nameLength;
                if (ChecksumData(handle, buffer, dataOffset, dataLength, crc) is not { } finished)
                {
                    break;
                }

                if (RandomAccess.Read(handle, trailer, dataOffset + dataLength) < trailer.Length
                    || BinaryPrimitives.ReadUInt32LittleEndian(trailer) != Crc32C.Finish(finished))
                {
                    break;
                }

                string name;
                try
                {
                    name = new UTF8Encoding(false, true).GetString(head, JournalRecordHeader.FixedLength, nameLength);
                }
                catch (DecoderFallbackException)
                {
                    break;
                }

                found.Add(new JournalRecordLocation(sequence, name, segment, dataOffset, dataLength));
                previous = sequence;
                offset = dataOffset + dataLength + JournalRecordHeader.TrailerLength;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return found;
    }

    private static uint? ChecksumData(Microsoft.Win32.SafeHandles.SafeFileHandle handle, byte[] buffer, long offset, long length, uint crc)
    {
        var end = offset + length;
        while (offset < end)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, end - offset)), offset);
            if (read <= 0)
            {
                return null;
            }

            crc = Crc32C.Append(crc, buffer.AsSpan(0, read));
            offset += read;
        }

        return crc;
    }
}
