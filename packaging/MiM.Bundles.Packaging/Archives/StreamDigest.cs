using System.Buffers;
using System.Security.Cryptography;

namespace MiM.Bundles.Packaging.Archives;

/// <summary>
/// Copies a stream in 1 MiB pieces while hashing it, reading at most one byte past a limit: memory stays flat whatever
/// the file's size, and a decompressor that produces more than it should is stopped right there.
/// </summary>
internal static class StreamDigest
{
    private const int BufferSize = 1 << 20;

    /// <summary>Bytes read (at most <paramref name="limit"/> + 1) and their SHA-256 in lower-case hex.</summary>
    public static (long Length, string Sha256) Copy(Stream source, Stream? destination, long limit)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            while (total <= limit)
            {
                var want = (int)Math.Min(BufferSize, limit + 1 - total);
                var read = source.Read(buffer, 0, want);
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                destination?.Write(buffer, 0, read);
                total += read;
            }

            return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
