using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Trust;
using Semver;

namespace MiM.Bundles.Packaging.Installation;

/// <summary>
/// Installs .mimb archives into a bundles folder as &lt;bundles&gt;/&lt;id&gt;/&lt;version&gt;/ (the bundle's files, plus
/// .mimb/manifest.json and .mimb/manifest.sig), and re-verifies installed bundles on load. An archive is verified and
/// extracted in one pass into &lt;bundles&gt;/.staging/, fsynced, and renamed into place only when every check passed:
/// a refused or interrupted install leaves nothing at the final path, and nothing is written outside the bundles folder.
/// </summary>
public sealed class BundleInstaller
{
    /// <summary>The folder under the bundles folder where archives are extracted (and downloads kept) before the rename.</summary>
    public const string StagingFolder = ".staging";

    private readonly TrustStore trust;
    private readonly VerificationLimits limits;
    private readonly TimeProvider clock;

    /// <summary>An installer into <paramref name="bundlesDirectory"/> that trusts <paramref name="trust"/>.</summary>
    public BundleInstaller(string bundlesDirectory, TrustStore trust, VerificationLimits? limits = null, TimeProvider? clock = null)
    {
        BundlesDirectory = Path.GetFullPath(bundlesDirectory);
        this.trust = trust;
        this.limits = limits ?? VerificationLimits.Default;
        this.clock = clock ?? TimeProvider.System;
    }

    /// <summary>The bundles folder.</summary>
    public string BundlesDirectory { get; }

    /// <summary>The folder a given id and version is (or would be) installed in.</summary>
    public string DirectoryOf(string id, string version) => Path.Combine(BundlesDirectory, id, version);

    /// <summary>The versions of <paramref name="id"/> installed (folders named as a semver version), newest first.</summary>
    public IReadOnlyList<SemVersion> InstalledVersions(string id)
    {
        var folder = Path.Combine(BundlesDirectory, id);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.EnumerateDirectories(folder)
            .Select(path => SemVersion.TryParse(Path.GetFileName(path), SemVersionStyles.Strict, out var version) ? version : null)
            .OfType<SemVersion>()
            .OrderByDescending(version => version, SemVersion.PrecedenceComparer)
            .ToList();
    }

    /// <summary>Verifies and installs <paramref name="archivePath"/>; refuses (nothing installed) on any failed check.</summary>
    public InstalledBundle Install(string archivePath, InstallPolicy? policy = null)
    {
        policy ??= InstallPolicy.Default;
        var staging = Path.Combine(BundlesDirectory, StagingFolder);
        Directory.CreateDirectory(staging);
        var temporary = Path.Combine(staging, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temporary);
        try
        {
            var verifier = new ArchiveVerifier(trust, limits, clock);
            var archive = verifier.Read(archivePath, manifest => CheckPolicy(manifest, policy), path => CreateFile(temporary, path));
            WriteState(temporary, archive);
            FlushTree(temporary);

            var target = DirectoryOf(archive.Manifest.Id, archive.Manifest.Version);
            var parent = Path.GetDirectoryName(target)!;
            Directory.CreateDirectory(parent);
            try
            {
                // rename(2): atomic on one file system; fails when the target exists, so two installers cannot both win.
                Directory.Move(temporary, target);
            }
            catch (IOException e) when (Directory.Exists(target))
            {
                throw new BundleRefusedException(RefusalReason.AlreadyInstalled, $"{archive.Manifest.Id} {archive.Manifest.Version} is already installed at {target}", e);
            }

            DirectorySync.Flush(parent);
            DirectorySync.Flush(BundlesDirectory);
            return new InstalledBundle(target, archive);
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    /// <summary>
    /// Deletes what a crash left in the staging folder: entries not written for <paramref name="olderThan"/> (an
    /// install in progress keeps writing). Returns how many were removed. Call it when the host starts.
    /// </summary>
    public int RemoveStaleStaging(TimeSpan olderThan)
    {
        var staging = new DirectoryInfo(Path.Combine(BundlesDirectory, StagingFolder));
        if (!staging.Exists)
        {
            return 0;
        }

        var removed = 0;
        var cutoff = clock.GetUtcNow().UtcDateTime - olderThan;
        foreach (var entry in staging.EnumerateFileSystemInfos())
        {
            if (entry.LastWriteTimeUtc < cutoff)
            {
                if (entry is DirectoryInfo directory && entry.LinkTarget is null)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }

                removed++;
            }
        }

        return removed;
    }

    /// <summary>
    /// Re-verifies an installed bundle folder against the manifest and signature it was installed with: the signer is
    /// still trusted (not revoked or expired since), every file hashes as signed, no file is missing, added or a link.
    /// </summary>
    public InstalledBundle VerifyInstalled(string directory) =>
        new InstalledBundleVerifier(new ArchiveVerifier(trust, limits, clock), limits).Verify(directory);

    private void CheckPolicy(ArchiveManifest manifest, InstallPolicy policy)
    {
        var version = manifest.SemanticVersion;
        if (Directory.Exists(DirectoryOf(manifest.Id, manifest.Version)))
        {
            throw new BundleRefusedException(RefusalReason.AlreadyInstalled, $"{manifest.Id} {manifest.Version} is already installed");
        }

        var installed = InstalledVersions(manifest.Id);
        var newest = installed.Count > 0 ? installed[0] : null;
        var pinned = policy.Pins.TryGetValue(manifest.Id, out var pin) && pin.ComparePrecedenceTo(version) == 0;
        if (newest is not null && newest.ComparePrecedenceTo(version) > 0 && !policy.AllowDowngrade && !pinned)
        {
            throw new BundleRefusedException(
                RefusalReason.Downgrade,
                $"{manifest.Id} {newest} is installed; {manifest.Version} is older (pin it, or allow downgrades, to install it)");
        }
    }

    private static FileStream CreateFile(string root, string relativePath)
    {
        var path = Path.GetFullPath(Path.Combine(root, relativePath));
        // ArchivePath already refused every escaping name; this is the second lock on the same door.
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new BundleRefusedException(RefusalReason.UnsafePath, $"'{relativePath}' leaves the bundle folder");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        return new FileStream(path, options);
    }

    private static void WriteState(string root, VerifiedArchive archive)
    {
        var state = Path.Combine(root, ArchiveLayout.InstalledStateFolder);
        Directory.CreateDirectory(state);
        foreach (var (name, bytes) in new[] { (ArchiveLayout.ManifestEntry, archive.ManifestBytes), (ArchiveLayout.SignatureEntry, archive.SignatureBytes) })
        {
            using var stream = new FileStream(Path.Combine(state, name), FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>fsyncs every folder of the tree (files were fsynced as they were written), deepest first.</summary>
    private static void FlushTree(string root)
    {
        foreach (var directory in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).OrderByDescending(path => path.Length))
        {
            DirectorySync.Flush(directory);
        }

        DirectorySync.Flush(root);
    }
}
