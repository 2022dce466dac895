using System.Buffers;
using MiM.Bundles.Dicom.Network.Durability;

namespace MiM.Bundles.Dicom.Network.Inbox.Journal;

/// <summary>
/// Recovery at start: every whole record above the checkpoint is written out again to its instance file (temporary
/// file fsynced, renamed over whatever the crash left at the final path, directory fsynced), so an instance that was
/// acknowledged from the journal but whose own file had not reached the disk is back, byte for byte. Runs before the
/// inbox indexes its files and before it accepts anything.
/// </summary>
internal static class JournalReplay
{
    /// <summary>Replays the records above <paramref name="checkpoint"/>; returns how many instance files were written
    /// and the highest sequence seen in any segment (the new checkpoint once this returns).</summary>
    public static (int Replayed, long HighestSequence) Run(IEnumerable<string> segments, long checkpoint, string partialFolder, string instancesFolder)
    {
        var records = segments.SelectMany(JournalScanner.Scan).ToList();
        var highest = records.Count == 0 ? checkpoint : Math.Max(checkpoint, records.Max(r => r.Sequence));
        var replayed = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records.Where(r => r.Sequence > checkpoint).OrderBy(r => r.Sequence))
        {
            // The name becomes a path: only study/series/sop.dcm made of valid UIDs, as the inbox itself files them.
            var parts = record.Name.Split('/');
            if (parts.Length != 3 || !parts[2].EndsWith(".dcm", StringComparison.Ordinal)
                || !DicomUidSyntax.IsValid(parts[0]) || !DicomUidSyntax.IsValid(parts[1]) || !DicomUidSyntax.IsValid(parts[2][..^4])
                || !seen.Add(parts[2]))
            {
                continue; // first record of a UID wins, as in the inbox
            }

            var series = Path.Combine(instancesFolder, parts[0], parts[1]);
            Directory.CreateDirectory(series);
            DirectorySync.Flush(Path.GetDirectoryName(series)!);
            DirectorySync.Flush(instancesFolder);
            var temporary = Path.Combine(partialFolder, Guid.NewGuid().ToString("N") + ".part");
            Copy(record, temporary);
            File.Move(temporary, Path.Combine(series, parts[2]), overwrite: true);
            DirectorySync.Flush(series);
            replayed++;
        }

        return (replayed, highest);
    }

    private static void Copy(JournalRecordLocation record, string temporary)
    {
        using var source = new FileStream(record.Segment, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        using var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 18);
        try
        {
            var offset = record.DataOffset;
            var end = record.DataOffset + record.DataLength;
            while (offset < end)
            {
                var read = RandomAccess.Read(source.SafeFileHandle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, end - offset)), offset);
                if (read <= 0)
                {
                    throw new EndOfStreamException($"journal segment {record.Segment} ended inside record {record.Sequence}");
                }

                target.Write(buffer, 0, read);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        target.Flush(flushToDisk: true);
    }
}
