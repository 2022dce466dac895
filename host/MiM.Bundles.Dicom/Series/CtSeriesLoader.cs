namespace MiM.Bundles.Dicom.Series;

/// <summary>
/// Loads a CT series as a <see cref="Contracts.Imaging.Volume"/>: headers only first (grouping by Series Instance UID,
/// dropping localizers and duplicates, sorting along the slice normal, measuring spacing), then the pixels of the kept
/// slices, rescaled to Hounsfield units. i = column, j = row, k = slice; Direction = (row, column, row × column).
/// </summary>
public static class CtSeriesLoader
{
    /// <summary>Loads a series from every file under <paramref name="folder"/> (recursively).</summary>
    /// <param name="folder">A folder holding the series, possibly beside other series and non-DICOM files.</param>
    /// <param name="options">Which series to load; null for the defaults.</param>
    /// <returns>The volume and the report.</returns>
    /// <exception cref="DicomException">No usable series, the requested series is absent, or the slices are tilted or not parallel.</exception>
    public static CtSeries LoadFolder(string folder, CtSeriesOptions? options = null) => LoadFiles(Files(folder), options);

    /// <summary>Loads a series from <paramref name="files"/>.</summary>
    /// <param name="files">DICOM files; unreadable ones are skipped and reported.</param>
    /// <param name="options">Which series to load; null for the defaults.</param>
    /// <returns>The volume and the report.</returns>
    /// <exception cref="DicomException">As for <see cref="LoadFolder"/>.</exception>
    public static CtSeries LoadFiles(IReadOnlyList<string> files, CtSeriesOptions? options = null)
    {
        var (stack, report) = Stack(files, options);
        return new CtSeries(VolumeAssembler.Assemble(stack), report);
    }

    /// <summary>
    /// Reads only the headers of the series under <paramref name="folder"/>: its grid and report, as
    /// <see cref="LoadFolder"/> would give them, without reading pixels (what a DICOM-SEG or SR of the series needs).
    /// </summary>
    /// <exception cref="DicomException">As for <see cref="LoadFolder"/>.</exception>
    public static SeriesScan ScanFolder(string folder, CtSeriesOptions? options = null)
    {
        var (stack, report) = Stack(Files(folder), options);
        return new SeriesScan(VolumeAssembler.Geometry(stack), report);
    }

    private static (SliceStack Stack, SeriesReport Report) Stack(IReadOnlyList<string> files, CtSeriesOptions? options)
    {
        ArgumentNullException.ThrowIfNull(files);
        options ??= CtSeriesOptions.Default;
        var issues = new List<SeriesIssue>();
        // Headers are read in parallel (I/O and parsing dominate a 200-file series) and merged in file order,
        // so the report and the slice order do not depend on scheduling.
        var perFile = new (IReadOnlyList<SliceHeader>? Headers, string? Error)[files.Count];
        Parallel.For(0, files.Count, f =>
        {
            try
            {
                perFile[f] = (SliceHeaderReader.Read(files[f]), null);
            }
            catch (DicomException e)
            {
                perFile[f] = (null, e.Message);
            }
        });
        var headers = new List<SliceHeader>();
        for (var f = 0; f < files.Count; f++)
        {
            if (perFile[f].Headers is { } read)
            {
                headers.AddRange(read);
            }
            else
            {
                issues.Add(new SeriesIssue(SeriesIssueKind.Skipped, perFile[f].Error!, files[f]));
            }
        }

        var (chosen, others) = SeriesSelector.Select(headers, options.SeriesInstanceUid);
        var kept = OrientationFilter.Filter(chosen, issues);
        var stack = SliceStacker.Stack(kept, issues);
        var slices = stack.Slices.Select((s, n) => new SeriesSlice(s.Path, s.Frame is { } f ? f + 1 : null, stack.PlaneIndices[n], s.SopClassUid, s.SopInstanceUid)).ToList();
        return (stack, new SeriesReport(chosen[0].SeriesInstanceUid, [.. stack.Slices.Select(s => s.Source)], others, issues) { Slices = slices });
    }

    private static List<string> Files(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new DicomException($"folder {folder} does not exist; expected a folder of DICOM files");
        }

        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
    }
}
