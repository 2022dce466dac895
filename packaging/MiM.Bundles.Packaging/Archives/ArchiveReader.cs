using System.IO.Compression;
using MiM.Bundles.Packaging.Bundles;
using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Packaging.Archives;

/// <summary>
/// The single pass over a .mimb that verification, installation and re-signing share. In order: entry names and types
/// (before any byte is decompressed), manifest and signature (authenticated before the manifest is trusted), the set of
/// files against the manifest, then each file streamed once — hashed, counted, and handed to an optional sink — stopping
/// one byte past its declared size. Every failure is a <see cref="BundleRefusedException"/>.
/// </summary>
internal static class ArchiveReader
{
    // Unix file-type bits in the high half of a zip entry's external attributes (S_IFMT and S_IFREG).
    private const int UnixTypeMask = 0xF000;
    private const int UnixRegularFile = 0x8000;
    private const int DosDirectory = 0x10;

    /// <summary>Reads and checks <paramref name="archivePath"/>.</summary>
    /// <param name="archivePath">The .mimb file.</param>
    /// <param name="limits">Size limits.</param>
    /// <param name="authenticate">Checks the manifest bytes against the signature bytes (null when absent) before they are parsed, and returns the signer.</param>
    /// <param name="beforeFiles">Called with the parsed manifest before file data is read (whether the signer may publish the id; an installer's policy).</param>
    /// <param name="sink">Opens where a file's bytes go, by relative path; null to only verify.</param>
    public static (ArchiveManifest Manifest, byte[] ManifestBytes, byte[]? SignatureBytes, TrustedPublisher? Publisher, BundleMetadata Metadata) Read(
        string archivePath,
        VerificationLimits limits,
        Func<byte[], byte[]?, TrustedPublisher?> authenticate,
        Action<ArchiveManifest>? beforeFiles,
        Func<string, Stream>? sink)
    {
        using var stream = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new BundleRefusedException(RefusalReason.Malformed, $"{archivePath} is not a readable zip archive: {e.Message}", e);
        }

        using (zip)
        {
            try
            {
                return Read(zip, limits, authenticate, beforeFiles, sink);
            }
            catch (InvalidDataException e)
            {
                throw new BundleRefusedException(RefusalReason.Malformed, $"{archivePath}: corrupt zip data: {e.Message}", e);
            }
        }
    }

    private static (ArchiveManifest, byte[], byte[]?, TrustedPublisher?, BundleMetadata) Read(
        ZipArchive zip,
        VerificationLimits limits,
        Func<byte[], byte[]?, TrustedPublisher?> authenticate,
        Action<ArchiveManifest>? beforeFiles,
        Func<string, Stream>? sink)
    {
        if (zip.Entries.Count > limits.MaxFiles + 2)
        {
            throw new BundleRefusedException(RefusalReason.TooLarge, $"the archive has {zip.Entries.Count} entries, more than the limit of {limits.MaxFiles} files");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        ZipArchiveEntry? manifestEntry = null;
        ZipArchiveEntry? signatureEntry = null;
        foreach (var entry in zip.Entries)
        {
            RequireRegularFile(entry);
            ArchivePath.Require(entry.FullName);
            if (!names.Add(entry.FullName))
            {
                throw new BundleRefusedException(RefusalReason.DuplicateEntry, $"the archive holds '{entry.FullName}' more than once");
            }

            if (entry.FullName == ArchiveLayout.ManifestEntry)
            {
                manifestEntry = entry;
            }
            else if (entry.FullName == ArchiveLayout.SignatureEntry)
            {
                signatureEntry = entry;
            }
        }

        if (manifestEntry is null)
        {
            throw new BundleRefusedException(RefusalReason.Malformed, "the archive has no manifest.json");
        }

        var manifestBytes = ReadSmall(manifestEntry, limits.MaxManifestBytes);
        var signatureBytes = signatureEntry is null ? null : ReadSmall(signatureEntry, limits.MaxSmallDocumentBytes);
        // Authenticated before parsed: nothing an unsigned or badly signed manifest says is acted on.
        var publisher = authenticate(manifestBytes, signatureBytes);
        var manifest = ArchiveManifest.Parse(manifestBytes, limits);
        beforeFiles?.Invoke(manifest);

        var prefix = manifest.Id + "/";
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            if (entry == manifestEntry || entry == signatureEntry)
            {
                continue;
            }

            if (!entry.FullName.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new BundleRefusedException(RefusalReason.ExtraFile, $"'{entry.FullName}' is outside the bundle root '{manifest.Id}/'");
            }

            entries.Add(entry.FullName[prefix.Length..], entry);
        }

        var listed = manifest.Files.Select(file => file.Path).ToHashSet(StringComparer.Ordinal);
        if (entries.Keys.FirstOrDefault(path => !listed.Contains(path)) is { } extra)
        {
            throw new BundleRefusedException(RefusalReason.ExtraFile, $"'{extra}' is in the archive but not in the signed manifest");
        }

        if (manifest.Files.FirstOrDefault(file => !entries.ContainsKey(file.Path)) is { } missing)
        {
            throw new BundleRefusedException(RefusalReason.MissingFile, $"'{missing.Path}' is in the signed manifest but not in the archive");
        }

        byte[]? metadataBytes = null;
        foreach (var file in manifest.Files)
        {
            var entry = entries[file.Path];
            // The header's size is only a claim; a mismatch is reported early, but the limit below is what protects.
            if (entry.Length != file.Size)
            {
                throw new BundleRefusedException(RefusalReason.ChangedFile, $"'{file.Path}': the archive says {entry.Length} bytes, the manifest {file.Size}");
            }

            var isMetadata = file.Path == ArchiveLayout.MetadataPath;
            if (isMetadata && file.Size > limits.MaxSmallDocumentBytes)
            {
                throw new BundleRefusedException(RefusalReason.TooLarge, $"{ArchiveLayout.MetadataPath} is larger than {limits.MaxSmallDocumentBytes} bytes");
            }

            using var capture = isMetadata ? new MemoryStream() : null;
            using (var source = entry.Open())
            using (var target = sink?.Invoke(file.Path))
            {
                var (length, sha256) = StreamDigest.Copy(source, Tee(target, capture), file.Size);
                if (length > file.Size)
                {
                    throw new BundleRefusedException(RefusalReason.TooLarge, $"'{file.Path}' expands past its declared {file.Size} bytes");
                }

                if (length != file.Size || sha256 != file.Sha256)
                {
                    throw new BundleRefusedException(RefusalReason.ChangedFile, $"'{file.Path}' does not match the signed manifest (size or SHA-256)");
                }

                if (target is FileStream fileStream)
                {
                    fileStream.Flush(flushToDisk: true);
                }
            }

            metadataBytes = isMetadata ? capture!.ToArray() : metadataBytes;
        }

        var metadata = BundleMetadata.Parse(metadataBytes);
        if (metadata.Id != manifest.Id || metadata.Version != manifest.Version)
        {
            throw new BundleRefusedException(
                RefusalReason.MetadataMismatch,
                $"{ArchiveLayout.MetadataPath} says {metadata.Id} {metadata.Version}, the signed manifest {manifest.Id} {manifest.Version}");
        }

        return (manifest, manifestBytes, signatureBytes, publisher, metadata);
    }

    private static Stream? Tee(Stream? first, Stream? second) =>
        first is null ? second : second is null ? first : new TeeStream(first, second);

    /// <summary>Refuses symbolic links, devices, FIFOs, sockets and directory entries: a bundle archive holds regular files only.</summary>
    private static void RequireRegularFile(ZipArchiveEntry entry)
    {
        var unixType = (entry.ExternalAttributes >>> 16) & UnixTypeMask;
        if (unixType != 0 && unixType != UnixRegularFile)
        {
            throw new BundleRefusedException(RefusalReason.LinkOrDevice, $"'{entry.FullName}' is not a regular file (Unix type 0x{unixType:X4}: a link, device, FIFO, socket or folder)");
        }

        if ((entry.ExternalAttributes & DosDirectory) != 0 || entry.FullName.EndsWith('/'))
        {
            throw new BundleRefusedException(RefusalReason.ExtraFile, $"'{entry.FullName}' is a folder entry; archives hold files only");
        }
    }

    private static byte[] ReadSmall(ZipArchiveEntry entry, int limit)
    {
        using var source = entry.Open();
        using var buffer = new MemoryStream();
        var (length, _) = StreamDigest.Copy(source, buffer, limit);
        if (length > limit)
        {
            throw new BundleRefusedException(RefusalReason.TooLarge, $"{entry.FullName} is larger than {limit} bytes");
        }

        return buffer.ToArray();
    }

    /// <summary>Writes to two streams: the sink and the metadata capture.</summary>
    private sealed class TeeStream(Stream first, Stream second) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
            first.Flush();
            second.Flush();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            first.Write(buffer, offset, count);
            second.Write(buffer, offset, count);
        }
    }
}
