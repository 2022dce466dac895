namespace MiM.Bundles.Host.Routing;

/// <summary>Why one serving bundle version did not take a series.</summary>
/// <param name="BundleId">The bundle id.</param>
/// <param name="BundleVersion">Its serving version.</param>
/// <param name="Reason">The first rule that failed, with the attribute and the value found.</param>
public sealed record RoutingRefusal(string BundleId, string BundleVersion, string Reason);

/// <summary>A series that no bundle accepted, with each bundle's reason.</summary>
/// <param name="StudyInstanceUid">The study.</param>
/// <param name="SeriesInstanceUid">The series.</param>
/// <param name="At">When it was routed.</param>
/// <param name="Refusals">One entry per serving bundle (empty when none served).</param>
public sealed record UnroutedSeries(string StudyInstanceUid, string SeriesInstanceUid, DateTimeOffset At, IReadOnlyList<RoutingRefusal> Refusals);

/// <summary>The series no bundle took, for the REST API.</summary>
public interface IUnroutedSeriesLog
{
    /// <summary>The most recent ones, newest first, at most <paramref name="max"/>.</summary>
    IReadOnlyList<UnroutedSeries> Recent(int max);
}
