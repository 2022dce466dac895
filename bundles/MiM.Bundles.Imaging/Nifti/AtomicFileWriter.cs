using System.IO.Compression;

namespace MiM.Bundles.Imaging.Nifti;

/// <summary>
/// Writes a file through a temporary file in the same folder and renames it into place, so a crash or error
/// never leaves a half-written file under the final name. Paths ending in ".gz" are gzip-compressed. Durable writes
/// reach the disk before the rename; a conversion whose output can be made again may skip that.
/// </summary>
internal static class AtomicFileWriter
{
    private const int BufferSize = 1 << 16;

    /// <summary>Writes what <paramref name="write"/> puts into the stream it is given (gzip-compressing for ".gz").</summary>
    public static void Write(string path, bool durable, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        var temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
            {
                if (fullPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
                {
                    // Fastest keeps a 128³ float volume well under a second; Optimal saves little on image data.
                    using var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true);
                    write(gzip);
                }
                else
                {
                    write(file);
                }

                // On disk before the rename, so a power cut cannot leave an empty file under the final name.
                file.Flush(flushToDisk: durable);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
