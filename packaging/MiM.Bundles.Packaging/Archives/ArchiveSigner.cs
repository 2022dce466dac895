using System.IO.Compression;
using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Signing;

namespace MiM.Bundles.Packaging.Archives;

/// <summary>
/// Signs (or re-signs) a .mimb: every file is checked against the manifest while it is copied into a new archive, so a
/// key never vouches for bytes that differ from the manifest; the new archive replaces the old one only when complete.
/// </summary>
public static class ArchiveSigner
{
    /// <summary>Signs <paramref name="archivePath"/> in place with <paramref name="key"/>; returns the manifest signed.</summary>
    public static ArchiveManifest Sign(string archivePath, PublisherSigningKey key, DateTimeOffset now, VerificationLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var target = Path.GetFullPath(archivePath);
        var temporary = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            ArchiveManifest manifest;
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
                {
                    string? root = null;
                    (manifest, var manifestBytes, _, _, _) = ArchiveReader.Read(
                        target,
                        limits ?? VerificationLimits.Default,
                        (_, _) => null, // integrity only: whoever signed before (if anyone) does not matter now
                        read => root = read.Id,
                        path =>
                        {
                            var entry = zip.CreateEntry(root + "/" + path, BundlePacker.LevelFor(path));
                            entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
                            entry.ExternalAttributes = BundlePacker.RegularFileAttributes;
                            return entry.Open();
                        });
                    BundlePacker.Add(zip, ArchiveLayout.ManifestEntry, manifestBytes);
                    BundlePacker.Add(zip, ArchiveLayout.SignatureEntry, SignatureDocument.Create(key, manifestBytes, now).ToBytes());
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
            return manifest;
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
