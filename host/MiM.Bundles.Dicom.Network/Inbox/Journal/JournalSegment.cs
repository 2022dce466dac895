using MiM.Bundles.Dicom.Network.Durability;

namespace MiM.Bundles.Dicom.Network.Inbox.Journal;

/// <summary>
/// One preallocated journal file, <c>segment-NNNN.wal</c>. Records are written into space that is already allocated,
/// so making them durable changes no file-system metadata (no size change, no new blocks): one fdatasync each round.
/// </summary>
internal sealed class JournalSegment : IDisposable
{
    private JournalSegment(string path, FileStream stream)
    {
        Path = path;
        Stream = stream;
        Capacity = stream.Length;
    }

    /// <summary>The segment file.</summary>
    public string Path { get; }

    /// <summary>The open file; records are written with positional writes on its handle.</summary>
    public FileStream Stream { get; }

    /// <summary>Bytes records may use.</summary>
    public long Capacity { get; }

    /// <summary>The highest sequence written into this segment's current lap; the segment may be reused once the
    /// checkpoint has passed it.</summary>
    public long MaximumSequence { get; set; }

    /// <summary>
    /// Opens an existing segment, or creates one of <paramref name="capacity"/> bytes, made durable (its blocks and its
    /// name) before any record goes into it. The space is written with zeros rather than only reserved (fallocate):
    /// writing into reserved-but-unwritten space converts it, a metadata change that makes every fdatasync of the
    /// first lap a file-system journal commit, measurably slower for one sender.
    /// </summary>
    public static JournalSegment OpenOrCreate(string path, long capacity)
    {
        var created = !File.Exists(path);
        var stream = new FileStream(path, created ? FileMode.CreateNew : FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        try
        {
            if (stream.Length < capacity)
            {
                WriteZeros(stream, capacity);
                stream.Flush(flushToDisk: true); // the blocks and the size, before a record relies on them
            }

            if (created)
            {
                DirectorySync.Flush(System.IO.Path.GetDirectoryName(path)!);
            }

            return new JournalSegment(path, stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The path of segment <paramref name="index"/> in <paramref name="folder"/>.</summary>
    public static string PathOf(string folder, int index) => System.IO.Path.Combine(folder, $"segment-{index:D4}.wal");

    /// <summary>The index in a segment's name.</summary>
    public static int IndexOf(string path)
        => int.Parse(System.IO.Path.GetFileNameWithoutExtension(path).AsSpan("segment-".Length), System.Globalization.CultureInfo.InvariantCulture);

    private static void WriteZeros(FileStream stream, long capacity)
    {
        DataSync.Preallocate(stream, capacity); // reserve first: running out of space half-way fails here, not later
        var zeros = new byte[1 << 20];
        for (var offset = 0L; offset < capacity; offset += zeros.Length)
        {
            RandomAccess.Write(stream.SafeFileHandle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, capacity - offset)), offset);
        }
    }

    /// <summary>The segment files of <paramref name="folder"/>, in index order.</summary>
    public static IEnumerable<string> Existing(string folder)
        => Directory.EnumerateFiles(folder, "segment-????.wal").Order(StringComparer.Ordinal);

    public void Dispose() => Stream.Dispose();
}
