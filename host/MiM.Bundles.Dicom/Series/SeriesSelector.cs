namespace MiM.Bundles.Dicom.Series;

/// <summary>Groups slice headers by Series Instance UID and picks one series.</summary>
internal static class SeriesSelector
{
    /// <summary>The chosen series' headers and a summary of the others.</summary>
    /// <exception cref="DicomException">No slices at all, or the requested UID is not among them.</exception>
    public static (IReadOnlyList<SliceHeader> Slices, IReadOnlyList<SeriesSummary> Others) Select(IReadOnlyList<SliceHeader> headers, string? seriesInstanceUid)
    {
        var groups = headers.GroupBy(h => h.SeriesInstanceUid, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (groups.Count == 0)
        {
            throw new DicomException("no readable CT slices among the inputs; expected single-frame images with Image Position/Orientation (Patient)");
        }

        var chosen = seriesInstanceUid is null
            ? groups[0]
            : groups.Find(g => g.Key == seriesInstanceUid) ?? throw new DicomException(
                $"series {seriesInstanceUid} is not among the inputs; found {string.Join(", ", groups.Select(g => $"{g.Key} ({Files(g)} files)"))}");
        var others = groups.Where(g => g != chosen).Select(g => new SeriesSummary(g.Key, Files(g))).ToList();
        return ([.. chosen], others);
    }

    private static int Files(IEnumerable<SliceHeader> series) => series.Select(h => h.Path).Distinct(StringComparer.Ordinal).Count();
}
