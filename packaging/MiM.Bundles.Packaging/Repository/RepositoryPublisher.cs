using System.Security.Cryptography;
using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Installation;
using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Trust;
using Semver;

namespace MiM.Bundles.Packaging.Repository;

/// <summary>
/// Adds a verified archive to a static repository folder: copies it in as &lt;id&gt;-&lt;version&gt;.mimb (a published
/// release is never replaced by different bytes), then rewrites index.json with the release, a higher sequence number
/// and a new signature. Each file appears by an atomic rename, so a server never serves half of one.
/// </summary>
public sealed class RepositoryPublisher
{
    private readonly string repository;
    private readonly PublisherSigningKey key;
    private readonly TrustStore archiveTrust;
    private readonly TimeProvider clock;
    private readonly TimeSpan? validity;

    /// <summary>
    /// A publisher into <paramref name="repositoryDirectory"/> that signs the index with <paramref name="indexKey"/> and
    /// accepts archives trusted by <paramref name="archiveTrust"/>; each index it writes expires after
    /// <paramref name="indexValidity"/> (null: never).
    /// </summary>
    public RepositoryPublisher(string repositoryDirectory, PublisherSigningKey indexKey, TrustStore archiveTrust, TimeProvider? clock = null, TimeSpan? indexValidity = null)
    {
        validity = indexValidity;
        repository = Path.GetFullPath(repositoryDirectory);
        key = indexKey;
        this.archiveTrust = archiveTrust;
        this.clock = clock ?? TimeProvider.System;
    }

    /// <summary>Publishes <paramref name="archivePath"/> on <paramref name="channel"/>; returns the new index.</summary>
    public RepositoryIndex Publish(string archivePath, ReleaseChannel channel)
    {
        var verified = new ArchiveVerifier(archiveTrust, clock: clock).Verify(archivePath);
        var manifest = verified.Manifest;
        Directory.CreateDirectory(repository);
        var name = $"{manifest.Id}-{manifest.Version}{ArchiveLayout.Extension}";
        var (size, sha256) = CopyIn(archivePath, name);

        var current = ReadCurrent();
        var release = new IndexRelease
        {
            Id = manifest.Id,
            Version = manifest.Version,
            Channel = channel,
            Archive = name,
            Size = size,
            Sha256 = sha256,
            KeyId = verified.Publisher.Key.KeyId,
            ManifestSignature = Convert.ToBase64String(verified.SignatureBytes),
            Requires = verified.Metadata.Requires,
            ContractsVersion = verified.Metadata.ContractsVersion,
            Changelog = verified.Metadata.Changelog,
        };
        var releases = (current?.Releases ?? [])
            .Where(r => r.Id != release.Id || r.Version != release.Version)
            .Append(release)
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .ThenBy(r => SemVersion.Parse(r.Version, SemVersionStyles.Strict), SemVersion.PrecedenceComparer)
            .ToList();
        return WriteIndex(current, releases);
    }

    /// <summary>Re-signs the current index unchanged but for a higher sequence, the time and a new expiry.</summary>
    /// <exception cref="FileNotFoundException">The repository has no index yet.</exception>
    public RepositoryIndex Refresh()
    {
        var current = ReadCurrent() ?? throw new FileNotFoundException($"no {SignedIndex.FileName} in {repository}: publish an archive first");
        return WriteIndex(current, current.Releases);
    }

    private RepositoryIndex? ReadCurrent()
    {
        var indexPath = Path.Combine(repository, SignedIndex.FileName);
        if (!File.Exists(indexPath))
        {
            return null;
        }

        // Signed by our own key, or refused; an expired index is still ours to replace.
        using var own = TrustStore.Of(PublisherKey.Parse(key.PublicKey.ToPem(), "index key"));
        return SignedIndex.Read(File.ReadAllBytes(indexPath), own, clock.GetUtcNow(), checkExpiry: false);
    }

    private RepositoryIndex WriteIndex(RepositoryIndex? current, IReadOnlyList<IndexRelease> releases)
    {
        var now = clock.GetUtcNow();
        var index = new RepositoryIndex
        {
            Format = RepositoryIndex.CurrentFormat,
            Sequence = (current?.Sequence ?? 0) + 1,
            Generated = now,
            Expires = validity is { } span ? now + span : null,
            Releases = releases,
        };
        WriteAtomically(Path.Combine(repository, SignedIndex.FileName), SignedIndex.Write(index, key, now));
        return index;
    }

    private (long Size, string Sha256) CopyIn(string archivePath, string name)
    {
        var target = Path.Combine(repository, name);
        if (File.Exists(target))
        {
            var existing = Hash(target);
            if (existing != Hash(archivePath))
            {
                throw new BundleRefusedException(RefusalReason.AlreadyInstalled, $"{name} is already published with other bytes; publish a new version instead");
            }

            return (new FileInfo(target).Length, existing);
        }

        var temporary = Path.Combine(repository, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            (long, string) result;
            using (var source = File.OpenRead(archivePath))
            using (var destination = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                result = StreamDigest.Copy(source, destination, long.MaxValue - 1);
                destination.Flush(flushToDisk: true);
            }

            File.Move(temporary, target);
            DirectorySync.Flush(repository);
            return result;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private void WriteAtomically(string path, byte[] bytes)
    {
        var temporary = Path.Combine(repository, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(repository);
    }
}
