using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Bundles;
using MiM.Bundles.Packaging.Refusals;

namespace MiM.Bundles.Packaging.Installation;

/// <summary>
/// Checks an installed bundle folder the way <see cref="ArchiveVerifier"/> checks an archive: signature and trust of the
/// stored manifest, the folder's name against the manifest's id and version, the set of files (no extra, none missing,
/// no links), and every file's size and SHA-256, streamed.
/// </summary>
internal sealed class InstalledBundleVerifier(ArchiveVerifier verifier, VerificationLimits limits)
{
    public InstalledBundle Verify(string directory)
    {
        var root = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        var state = Path.Combine(root, ArchiveLayout.InstalledStateFolder);
        var manifestPath = Path.Combine(state, ArchiveLayout.ManifestEntry);
        if (!File.Exists(manifestPath))
        {
            throw new BundleRefusedException(RefusalReason.MissingFile, $"{root} has no {ArchiveLayout.InstalledStateFolder}/{ArchiveLayout.ManifestEntry}: it was not installed from a signed archive");
        }

        var manifestBytes = ReadSmall(manifestPath, limits.MaxManifestBytes);
        var signaturePath = Path.Combine(state, ArchiveLayout.SignatureEntry);
        var signatureBytes = File.Exists(signaturePath) ? ReadSmall(signaturePath, limits.MaxSmallDocumentBytes) : null;
        var publisher = verifier.Authenticate(manifestBytes, signatureBytes);
        var manifest = ArchiveManifest.Parse(manifestBytes, limits);
        ArchiveVerifier.RequireAllowed(publisher, manifest);

        // A signed bundle copied under another name would be served as something it is not.
        if (Path.GetFileName(root) != manifest.Version || Path.GetFileName(Path.GetDirectoryName(root)) != manifest.Id)
        {
            throw new BundleRefusedException(RefusalReason.MetadataMismatch, $"{root} holds {manifest.Id} {manifest.Version}; the folder must be <bundles>/{manifest.Id}/{manifest.Version}");
        }

        var listed = manifest.Files.ToDictionary(file => file.Path, StringComparer.Ordinal);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(root, item.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (relative == ArchiveLayout.InstalledStateFolder || relative.StartsWith(ArchiveLayout.InstalledStateFolder + "/", StringComparison.Ordinal))
            {
                continue;
            }

            if (item.LinkTarget is not null || (item.Attributes & (FileAttributes.ReparsePoint | FileAttributes.Device)) != 0)
            {
                throw new BundleRefusedException(RefusalReason.LinkOrDevice, $"{item.FullName} is a link or device; an installed bundle holds regular files only");
            }

            if (item is FileInfo)
            {
                if (!listed.ContainsKey(relative))
                {
                    throw new BundleRefusedException(RefusalReason.ExtraFile, $"{item.FullName} is not in the signed manifest");
                }

                present.Add(relative);
            }
        }

        if (manifest.Files.FirstOrDefault(file => !present.Contains(file.Path)) is { } missing)
        {
            throw new BundleRefusedException(RefusalReason.MissingFile, $"{Path.Combine(root, missing.Path)} is in the signed manifest but missing");
        }

        byte[]? metadataBytes = null;
        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(root, file.Path);
            if (new FileInfo(path).Length != file.Size)
            {
                throw new BundleRefusedException(RefusalReason.ChangedFile, $"{path} changed since it was installed (size)");
            }

            using var stream = RegularFile.OpenRead(path);
            using var capture = file.Path == ArchiveLayout.MetadataPath ? new MemoryStream() : null;
            var (length, sha256) = StreamDigest.Copy(stream, capture, file.Size);
            if (length != file.Size || sha256 != file.Sha256)
            {
                throw new BundleRefusedException(RefusalReason.ChangedFile, $"{Path.Combine(root, file.Path)} changed since it was installed (size or SHA-256)");
            }

            metadataBytes = capture?.ToArray() ?? metadataBytes;
        }

        var metadata = BundleMetadata.Parse(metadataBytes);
        return new InstalledBundle(root, new VerifiedArchive(manifest, manifestBytes, signatureBytes!, publisher, metadata));
    }

    private static byte[] ReadSmall(string path, int limit)
    {
        if (new FileInfo(path).Length > limit)
        {
            throw new BundleRefusedException(RefusalReason.TooLarge, $"{path} is larger than {limit} bytes");
        }

        return File.ReadAllBytes(path);
    }
}
