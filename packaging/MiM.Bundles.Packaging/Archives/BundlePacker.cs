using System.IO.Compression;
using MiM.Bundles.Packaging.Bundles;
using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Signing;
using Semver;

namespace MiM.Bundles.Packaging.Archives;

/// <summary>
/// Turns a bundle folder into a .mimb: every regular file under one root folder named after the bundle id, a manifest
/// with each file's size and SHA-256 (hashed from the very bytes written into the zip, in one pass), and, given a key,
/// the detached signature. The archive appears at its path only when complete (written beside it, then renamed).
/// </summary>
public static class BundlePacker
{
    // Fixed entry times make the same folder pack to the same bytes.
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Packs <paramref name="bundleDirectory"/> into <paramref name="archivePath"/>, signed when <paramref name="key"/> is given.</summary>
    /// <exception cref="FormatException">metadata.json lacks a valid id or semver version, or a file name is unsafe.</exception>
    /// <exception cref="IOException">A symbolic link or special file is in the folder, or the disk failed.</exception>
    public static ArchiveManifest Pack(string bundleDirectory, string archivePath, PublisherSigningKey? key, DateTimeOffset now)
    {
        var root = Path.GetFullPath(bundleDirectory);
        var metadata = BundleMetadata.Read(root);
        if (!KeyId.IsValid(metadata.Id))
        {
            throw new FormatException($"configs/metadata.json: invalid bundle id '{metadata.Id}' (lower-case letters, digits, '.', '_' and '-')");
        }

        if (!SemVersion.TryParse(metadata.Version, SemVersionStyles.Strict, out _))
        {
            throw new FormatException($"configs/metadata.json: version '{metadata.Version}' is not semver 2.0 (e.g. 1.2.0)");
        }

        var paths = BundleFiles(root);
        var target = Path.GetFullPath(archivePath);
        var temporary = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            ArchiveManifest manifest;
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
                {
                    var files = new List<ManifestFile>(paths.Count);
                    foreach (var path in paths)
                    {
                        var entry = zip.CreateEntry(metadata.Id + "/" + path, LevelFor(path));
                        entry.LastWriteTime = EntryTime;
                        entry.ExternalAttributes = RegularFileAttributes;
                        using var source = new FileStream(Path.Combine(root, path), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                        using var destination = entry.Open();
                        var (length, sha256) = StreamDigest.Copy(source, destination, long.MaxValue - 1);
                        files.Add(new ManifestFile(path, length, sha256));
                    }

                    manifest = new ArchiveManifest { Format = ArchiveManifest.CurrentFormat, Id = metadata.Id, Version = metadata.Version, Files = files };
                    var manifestBytes = manifest.ToBytes();
                    Add(zip, ArchiveLayout.ManifestEntry, manifestBytes);
                    if (key is not null)
                    {
                        Add(zip, ArchiveLayout.SignatureEntry, SignatureDocument.Create(key, manifestBytes, now).ToBytes());
                    }
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

    /// <summary>Unix mode bits of a regular 0644 file, in the high half of the zip external attributes.</summary>
    internal const int RegularFileAttributes = unchecked((int)0x81A4_0000);

    internal static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTime;
        entry.ExternalAttributes = RegularFileAttributes;
        using var stream = entry.Open();
        stream.Write(bytes);
    }

    /// <summary>Weights and assemblies barely compress and are most of the bytes: store them, so verifying is bound by the disk.</summary>
    internal static CompressionLevel LevelFor(string path) =>
        path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? CompressionLevel.NoCompression
            : CompressionLevel.Optimal;

    /// <summary>The bundle's files, relative and '/'-separated, sorted; refuses links and special files, skips .mimb/.</summary>
    private static List<string> BundleFiles(string root)
    {
        var result = new List<string>();
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(root));
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var item in directory.EnumerateFileSystemInfos())
            {
                var relative = Path.GetRelativePath(root, item.FullName).Replace(Path.DirectorySeparatorChar, '/');
                if (item.LinkTarget is not null)
                {
                    throw new IOException($"{item.FullName} is a symbolic link; a bundle holds regular files only");
                }

                if (item is DirectoryInfo child)
                {
                    // An installed bundle's signature state is not part of the bundle.
                    if (relative != ArchiveLayout.InstalledStateFolder)
                    {
                        pending.Push(child);
                    }
                }
                else if (item is FileInfo file && (file.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) == 0)
                {
                    if (!ArchivePath.IsSafe(relative))
                    {
                        throw new FormatException($"{item.FullName}: the name cannot be stored safely in an archive");
                    }

                    result.Add(relative);
                }
                else
                {
                    throw new IOException($"{item.FullName} is not a regular file");
                }
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }
}
