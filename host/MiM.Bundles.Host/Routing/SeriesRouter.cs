using System.Collections.Concurrent;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Host.Routing;

/// <summary>What the router decided for one series: the bundle versions that take it and why each other one did not.</summary>
/// <param name="Accepted">The serving versions whose rules accept the series.</param>
/// <param name="Refusals">One entry per serving task bundle that refused it.</param>
public sealed record RoutingDecision(IReadOnlyList<BundleVersion> Accepted, IReadOnlyList<RoutingRefusal> Refusals);

/// <summary>
/// Matches a series against the selection rules of every serving segmentation and classification bundle (encoders are
/// not routed to: they run for the heads that need them). Rules are read once per bundle version folder.
/// </summary>
public sealed class SeriesRouter
{
    private readonly ConcurrentDictionary<string, SelectionRules> _rules = new(StringComparer.Ordinal);

    /// <summary>Routes <paramref name="series"/> over <paramref name="serving"/>.</summary>
    public RoutingDecision Route(SeriesAttributes series, IEnumerable<BundleVersion> serving)
    {
        ArgumentNullException.ThrowIfNull(serving);
        var accepted = new List<BundleVersion>();
        var refusals = new List<RoutingRefusal>();
        foreach (var version in serving.Where(v => v.Metadata?.Task != BundleTasks.Encoder).OrderBy(v => v.Id, StringComparer.Ordinal))
        {
            string? refusal;
            try
            {
                refusal = _rules.GetOrAdd(version.Folder, SelectionRules.Read).Refusal(series);
            }
            catch (FormatException e)
            {
                refusal = $"its selection rules cannot be read: {e.Message}";
            }

            if (refusal is null)
            {
                accepted.Add(version);
            }
            else
            {
                refusals.Add(new RoutingRefusal(version.Id ?? version.Folder, version.Version?.ToString() ?? "", refusal));
            }
        }

        return new RoutingDecision(accepted, refusals);
    }
}
