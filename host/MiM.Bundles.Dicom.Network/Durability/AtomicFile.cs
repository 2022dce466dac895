using System.Text;

namespace MiM.Bundles.Dicom.Network.Durability;

/// <summary>
/// Replaces a file (a manifest, a marker, a reason, a kept result) all at once: written to a temporary name next to it,
/// fsynced, renamed over the target and the directory fsynced. A reader sees the old or the new content, never half.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> as UTF-8 to <paramref name="path"/> durably.</summary>
    public static void WriteAllText(string path, string text) => Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)));

    /// <summary>Writes what <paramref name="write"/> puts into the stream it is given to <paramref name="path"/> durably.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(directory);
    }

    /// <summary>True for the temporary names <see cref="WriteAllText"/> uses; a crash can leave them behind.</summary>
    public static bool IsTemporary(string path)
    {
        var name = Path.GetFileName(path);
        return name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal);
    }
}
