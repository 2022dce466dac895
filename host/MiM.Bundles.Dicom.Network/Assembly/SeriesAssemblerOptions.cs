namespace MiM.Bundles.Dicom.Network.Assembly;

/// <summary>How the series assembler groups instances and when it declares a group complete.</summary>
public sealed record SeriesAssemblerOptions
{
    /// <summary>Group by series (default) or by study.</summary>
    public AssemblyGrouping GroupBy { get; init; } = AssemblyGrouping.Series;

    /// <summary>A group is complete when no instance of it arrived for this long. DICOM has no "end of series"
    /// message, so this is the only signal; routers usually send a series in one association within seconds.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the markers of groups already handed on are kept (one small JSON file per group).</summary>
    public required string StateFolder { get; init; }
}
