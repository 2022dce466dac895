using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Host.Catalog;
using Semver;

namespace MiM.Bundles.Host.Running;

/// <summary>
/// Runs one series through several bundles: heads that require the same serving encoder share ONE encoder pass (the
/// encoder's job), whose features are handed to each of them and disposed when all are done; other bundles run alone.
/// </summary>
/// <param name="catalog">Which versions serve.</param>
/// <param name="runner">The job queues.</param>
public sealed class SeriesDispatcher(BundleCatalog catalog, BundleRunner runner)
{
    /// <summary>The result of each of <paramref name="bundleIds"/>, in order.</summary>
    public async Task<IReadOnlyList<JobResult>> RunAsync(Volume volume, IReadOnlyList<string> bundleIds)
    {
        ArgumentNullException.ThrowIfNull(bundleIds);
        var results = new Task<JobResult>[bundleIds.Count];
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < bundleIds.Count; i++)
        {
            if (MissingEncoder(bundleIds[i]) is { } missing)
            {
                results[i] = Task.FromResult(new JobResult(bundleIds[i], catalog.Serving(bundleIds[i])?.Version?.ToString() ?? "", JobStatus.Rejected, Error: missing));
            }
            else if (EncoderOf(bundleIds[i]) is { } encoder)
            {
                if (!groups.TryGetValue(encoder, out var members))
                {
                    groups[encoder] = members = [];
                }

                members.Add(i);
            }
            else
            {
                results[i] = runner.SubmitAsync(bundleIds[i], new BundleInput(volume));
            }
        }

        foreach (var (encoderId, members) in groups)
        {
            var encoded = await runner.SubmitAsync(encoderId, new BundleInput(volume)).ConfigureAwait(false);
            if (encoded is not { Status: JobStatus.Succeeded, Features: { } features })
            {
                foreach (var i in members)
                {
                    results[i] = Task.FromResult(new JobResult(bundleIds[i], "", JobStatus.Failed, Error: $"encoder {encoderId} {encoded.BundleVersion}: {encoded.Status} {encoded.Error}"));
                }

                continue;
            }

            var heads = members.Select(i => results[i] = runner.SubmitAsync(bundleIds[i], new BundleInput(volume, features))).ToList();
            _ = DisposeWhenDoneAsync(features, heads);
        }

        return await Task.WhenAll(results).ConfigureAwait(false);
    }

    /// <summary>The encoder id a serving head requires (its serving version in range), or null for a bundle that needs none.</summary>
    private string? EncoderOf(string bundleId)
    {
        if (catalog.Serving(bundleId)?.Metadata is not { Encoder: BundleTasks.SharedEncoder, Requires: { Count: 1 } requires })
        {
            return null;
        }

        var (id, range) = requires.First();
        return catalog.Serving(id) is { Version: { } version } && version.Satisfies(SemVersionRange.ParseNpm(range)) ? id : null;
    }

    /// <summary>Why a serving shared head cannot run now (no serving encoder in its range), or null.</summary>
    private string? MissingEncoder(string bundleId) =>
        catalog.Serving(bundleId)?.Metadata is { Encoder: BundleTasks.SharedEncoder, Requires: { Count: 1 } requires } && EncoderOf(bundleId) is null
            ? $"requires encoder {requires.First().Key} {requires.First().Value}, which is not serving"
            : null;

    private static async Task DisposeWhenDoneAsync(IEncodedFeatures features, List<Task<JobResult>> heads)
    {
        try
        {
            await Task.WhenAll(heads).ConfigureAwait(false);
        }
        finally
        {
            features.Dispose();
        }
    }
}
