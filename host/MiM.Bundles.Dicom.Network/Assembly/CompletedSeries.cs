using MiM.Bundles.Dicom.Network.Inbox;

namespace MiM.Bundles.Dicom.Network.Assembly;

/// <summary>A group of instances the assembler declared complete (a series, or a study with <see cref="AssemblyGrouping.Study"/>).</summary>
/// <param name="Key">The Series (or Study) Instance UID the group is keyed by.</param>
/// <param name="GroupBy">What <paramref name="Key"/> is.</param>
/// <param name="Generation">1 for the first group of a key; a late arrival after completion starts generation 2, and so on.</param>
/// <param name="Instances">The instances, in arrival order.</param>
/// <param name="FirstArrival">When the first instance of the group arrived (after a restart: when it was found again).</param>
/// <param name="LastArrival">When the last instance arrived.</param>
public sealed record CompletedSeries(
    string Key,
    AssemblyGrouping GroupBy,
    int Generation,
    IReadOnlyList<CommittedInstance> Instances,
    DateTimeOffset FirstArrival,
    DateTimeOffset LastArrival)
{
    /// <summary>The Part 10 files of the group, in arrival order.</summary>
    public IReadOnlyList<string> InstancePaths => [.. Instances.Select(i => i.FilePath)];

    /// <summary>How many instances the group holds.</summary>
    public int InstanceCount => Instances.Count;

    /// <summary>How many distinct series the group holds (1 when grouped by series).</summary>
    public int SeriesCount => Instances.Select(i => i.SeriesInstanceUid).Distinct(StringComparer.Ordinal).Count();

    /// <summary>The AE titles that sent the group's instances, first sender first.</summary>
    public IReadOnlyList<string> CallingAeTitles => [.. Instances.Select(i => i.CallingAeTitle).Distinct(StringComparer.Ordinal)];
}
