namespace MiM.Bundles.Dicom.Series;

/// <summary>Options of <see cref="CtSeriesLoader"/>.</summary>
public sealed record CtSeriesOptions
{
    /// <summary>The defaults: the series with most files is loaded.</summary>
    public static CtSeriesOptions Default { get; } = new();

    /// <summary>The Series Instance UID to load; null loads the series with most files.</summary>
    public string? SeriesInstanceUid { get; init; }
}
