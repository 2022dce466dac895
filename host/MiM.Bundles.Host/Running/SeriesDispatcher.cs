using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Host.Catalog;
using Semver;

namespace MiM.Bundles.Host.Running;

/// <summary>
/// Runs one series through several bundles: heads that require the same serving encoder share ONE encoder pass (the
/// encoder's job), whose features are handed to each of them and disposed when all are done; other bundles run alone.
/// A shadow candidate is a head like the others: it shares the serving encoder pass when it requires that encoder.
/// </summary>
/// <param name="catalog">Which versions serve.</param>
/// <param name="runner">The job queues.</param>
public sealed class SeriesDispatcher(BundleCatalog catalog, BundleRunner runner)
{
    /// <summary>The result of each of <paramref name="bundleIds"/> (their serving versions), in order.</summary>
    public Task<IReadOnlyList<JobResult>> RunAsync(Volume volume, IReadOnlyList<string> bundleIds)
    {
        ArgumentNullException.ThrowIfNull(bundleIds);
        return RunAsync(volume, [.. bundleIds.Select(id => new DispatchTarget(id, Shadow: false))]);
    }

    /// <summary>The result of each of <paramref name="targets"/> (serving versions or shadow candidates), in order.</summary>
    public async Task<IReadOnlyList<JobResult>> RunAsync(Volume volume, IReadOnlyList<DispatchTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var bundleIds = targets.Select(t => t.BundleId).ToList();
        var results = new Task<JobResult>[targets.Count];
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < targets.Count; i++)
        {
            if (MissingEncoder(targets[i]) is { } missing)
            {
                results[i] = Task.FromResult(new JobResult(bundleIds[i], VersionOf(targets[i])?.Version?.ToString() ?? "", JobStatus.Rejected, Error: missing));
            }
            else if (EncoderOf(targets[i]) is { } encoder)
            {
                if (!groups.TryGetValue(encoder, out var members))
                {
                    groups[encoder] = members = [];
                }

                members.Add(i);
            }
            else
            {
                results[i] = Submit(targets[i], new BundleInput(volume));
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

            var heads = members.Select(i => results[i] = Submit(targets[i], new BundleInput(volume, features))).ToList();
            _ = DisposeWhenDoneAsync(features, heads);
        }

        return await Task.WhenAll(results).ConfigureAwait(false);
    }

    private Task<JobResult> Submit(DispatchTarget target, BundleInput input) =>
        target.Shadow ? runner.SubmitShadowAsync(target.BundleId, input) : runner.SubmitAsync(target.BundleId, input);

    private BundleVersion? VersionOf(DispatchTarget target) => target.Shadow ? catalog.Shadow(target.BundleId) : catalog.Serving(target.BundleId);

    /// <summary>The encoder id a head requires (its serving version in range), or null for a bundle that needs none.</summary>
    private string? EncoderOf(DispatchTarget target)
    {
        if (VersionOf(target)?.Metadata is not { Encoder: BundleTasks.SharedEncoder, Requires: { Count: 1 } requires })
        {
            return null;
        }

        var (id, range) = requires.First();
        return catalog.Serving(id) is { Version: { } version } && version.Satisfies(SemVersionRange.ParseNpm(range)) ? id : null;
    }

    /// <summary>Why a shared head cannot run now (no serving encoder in its range), or null.</summary>
    private string? MissingEncoder(DispatchTarget target) =>
        VersionOf(target)?.Metadata is { Encoder: BundleTasks.SharedEncoder, Requires: { Count: 1 } requires } && EncoderOf(target) is null
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

/// <summary>One bundle a series runs through: the serving version of an id, or its shadow candidate.</summary>
/// <param name="BundleId">The bundle id.</param>
/// <param name="Shadow">True for the id's shadow candidate.</param>
public sealed record DispatchTarget(string BundleId, bool Shadow);
