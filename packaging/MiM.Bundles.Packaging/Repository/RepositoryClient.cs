using System.Net;
using System.Net.Http.Headers;
using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Installation;
using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Packaging.Repository;

/// <summary>
/// Follows a static repository over HTTP for a host: polls index.json with If-None-Match (an unchanged index costs one
/// 304), checks its signature and that its sequence never goes back, picks a release per <see cref="BundlePolicy"/>,
/// downloads it into the installer's staging folder (size and SHA-256 checked against the index while streaming) and
/// installs it through <see cref="BundleInstaller"/> (which verifies the archive itself). Catalog states, rollback and
/// shadow mode are the host's: it calls <see cref="SyncAsync"/> and decides what to serve.
/// </summary>
public sealed class RepositoryClient
{
    private readonly HttpClient http;
    private readonly Uri repository;
    private readonly TrustStore trust;
    private readonly TimeProvider clock;
    private readonly long knownSequence;
    private EntityTagHeaderValue? etag;

    /// <summary>
    /// A client of the repository at <paramref name="repository"/> (a folder URL; a trailing '/' is added) that trusts
    /// <paramref name="trust"/>. <paramref name="knownSequence"/> is the highest index sequence seen before (a host
    /// persists <c>Current.Sequence</c> across restarts), so an older index is refused even on the first poll.
    /// </summary>
    public RepositoryClient(HttpClient http, Uri repository, TrustStore trust, TimeProvider? clock = null, long knownSequence = 0)
    {
        this.knownSequence = knownSequence;
        ArgumentNullException.ThrowIfNull(repository);
        this.http = http;
        this.repository = repository.AbsoluteUri.EndsWith('/') ? repository : new Uri(repository.AbsoluteUri + "/");
        this.trust = trust;
        this.clock = clock ?? TimeProvider.System;
    }

    /// <summary>The last index accepted, or null before the first successful poll.</summary>
    public RepositoryIndex? Current { get; private set; }

    /// <summary>
    /// Fetches index.json unless unchanged since the last poll. Returns true when a new index was accepted, false when
    /// the server answered 304. Refuses a badly signed index or one with a lower sequence than already seen.
    /// </summary>
    public async Task<bool> PollAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(repository, SignedIndex.FileName));
        if (etag is not null && Current is not null)
        {
            request.Headers.IfNoneMatch.Add(etag);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var index = SignedIndex.Read(bytes, trust, clock.GetUtcNow());
        var seen = Math.Max(knownSequence, Current?.Sequence ?? 0);
        if (index.Sequence < seen)
        {
            throw new BundleRefusedException(RefusalReason.IndexRejected, $"the repository index went back from sequence {seen} to {index.Sequence} (a replayed old index)");
        }

        Current = index;
        etag = response.Headers.ETag;
        return true;
    }

    /// <summary>
    /// Polls, then for each policy installs the chosen release unless already installed. A refused release throws
    /// (nothing of it installed); releases handled before it stay installed.
    /// </summary>
    public async Task<IReadOnlyList<SyncOutcome>> SyncAsync(IEnumerable<BundlePolicy> policies, BundleInstaller installer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(installer);
        await PollAsync(cancellationToken).ConfigureAwait(false);
        var index = Current ?? throw new InvalidOperationException("no repository index yet");
        var outcomes = new List<SyncOutcome>();
        foreach (var policy in policies)
        {
            var release = policy.Choose(index);
            if (release is null)
            {
                outcomes.Add(new SyncOutcome(policy.Id, null, false, null));
                continue;
            }

            var directory = installer.DirectoryOf(release.Id, release.Version);
            if (Directory.Exists(directory))
            {
                outcomes.Add(new SyncOutcome(release.Id, release.Version, false, directory));
                continue;
            }

            var download = await DownloadAsync(release, Path.Combine(installer.BundlesDirectory, BundleInstaller.StagingFolder), cancellationToken).ConfigureAwait(false);
            try
            {
                var pins = policy.Pinned is null ? new Dictionary<string, Semver.SemVersion>() : new() { [policy.Id] = policy.Pinned };
                var installed = installer.Install(download, new InstallPolicy { Pins = pins });
                if (installed.Id != release.Id || installed.Version != release.Version)
                {
                    // Cannot happen with a matching SHA-256 from a signed index, unless the publisher signed a lie.
                    throw new BundleRefusedException(RefusalReason.MetadataMismatch, $"{release.Archive} holds {installed.Id} {installed.Version}, the index says {release.Id} {release.Version}");
                }

                outcomes.Add(new SyncOutcome(release.Id, release.Version, true, installed.Directory));
            }
            finally
            {
                File.Delete(download);
            }
        }

        return outcomes;
    }

    /// <summary>Downloads <paramref name="release"/> into <paramref name="directory"/>; refuses one whose size or SHA-256 differs from the index.</summary>
    public async Task<string> DownloadAsync(IndexRelease release, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (!ArchivePath.IsSafe(release.Archive) || release.Archive.Contains('/', StringComparison.Ordinal))
        {
            throw new BundleRefusedException(RefusalReason.UnsafePath, $"the index names an unsafe archive '{release.Archive}'");
        }

        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{release.Archive}.{Guid.NewGuid():N}.download");
        try
        {
            using var response = await http.GetAsync(new Uri(repository, Uri.EscapeDataString(release.Archive)), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                var (length, sha256) = await Task.Run(() => StreamDigest.Copy(source, target, release.Size), cancellationToken).ConfigureAwait(false);
                if (length != release.Size || sha256 != release.Sha256)
                {
                    throw new BundleRefusedException(RefusalReason.ChangedFile, $"{release.Archive} as downloaded does not match the signed index (size or SHA-256)");
                }
            }

            return path;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}
