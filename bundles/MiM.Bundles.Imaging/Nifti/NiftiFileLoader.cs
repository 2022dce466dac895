using System.Buffers.Binary;
using System.IO.Compression;

namespace MiM.Bundles.Imaging.Nifti;

/// <summary>
/// Reads a .nii or .nii.gz file into memory, decompressed. Gzip is recognised by its magic bytes (1f 8b),
/// not the extension, because files are often misnamed.
/// </summary>
internal static class NiftiFileLoader
{
    private const int BufferSize = 1 << 16;

    // ISIZE (the gzip trailer's size) only sizes the first buffer; it is not trusted beyond that.
    private const int MaxCapacityHint = 1 << 30;

    /// <summary>The file's (decompressed) bytes, or only the first <paramref name="limit"/> of them.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="NiftiFormatException">The gzip stream is corrupt.</exception>
    public static ArraySegment<byte> Load(string path, int limit = int.MaxValue)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        Span<byte> start = stackalloc byte[2];
        var startLength = file.ReadAtLeast(start, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return startLength == 2 && start[0] == 0x1f && start[1] == 0x8b
            ? Decompress(file, path, limit)
            : ReadPlain(file, path, limit);
    }

    private static ArraySegment<byte> ReadPlain(FileStream file, string path, int limit)
    {
        if (file.Length > Array.MaxLength)
        {
            throw new NiftiFormatException(path, $"file of {file.Length} bytes is too large to load");
        }

        var buffer = new byte[Math.Min(file.Length, limit)];
        var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return new ArraySegment<byte>(buffer, 0, read);
    }

    private static ArraySegment<byte> Decompress(FileStream file, string path, int limit)
    {
        var output = new MemoryStream(Math.Min(CapacityHint(file), limit));
        try
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            var chunk = new byte[BufferSize];
            while (output.Length < limit)
            {
                var read = gzip.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - output.Length));
                if (read == 0)
                {
                    break;
                }

                output.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException error)
        {
            throw new NiftiFormatException(path, $"corrupt gzip stream ({error.Message})", error);
        }

        return new ArraySegment<byte>(output.GetBuffer(), 0, (int)output.Length);
    }

    private static int CapacityHint(FileStream file)
    {
        if (file.Length < 18)
        {
            return 0;
        }

        Span<byte> trailer = stackalloc byte[4];
        file.Position = file.Length - 4;
        file.ReadExactly(trailer);
        file.Position = 0;
        var size = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        return (int)Math.Min(size, MaxCapacityHint);
    }
}
