namespace MiM.Bundles.Dicom.Series;

/// <summary>What a series load noticed and did about it.</summary>
public enum SeriesIssueKind
{
    /// <summary>A file could not be read as a single-frame greyscale DICOM image with geometry; skipped.</summary>
    Skipped,

    /// <summary>A file of another orientation than the majority (a localizer/scout); dropped.</summary>
    Localizer,

    /// <summary>A file whose rows, columns or pixel spacing differ from the majority; dropped.</summary>
    DifferentImageSize,

    /// <summary>A second file at an already occupied slice position; dropped.</summary>
    Duplicate,

    /// <summary>A gap of about a whole number of slice spacings; the missing planes were filled by linear interpolation.</summary>
    MissingSlices,

    /// <summary>A step between neighbouring slices that is more than 1% off the series' spacing.</summary>
    NonUniformSpacing,

    /// <summary>Slice spacing could not be measured (one slice) and was taken from a header or assumed.</summary>
    AssumedSpacing,
}

/// <summary>One finding of a series load; messages name files, tags and numbers, never patient data.</summary>
/// <param name="Kind">What kind of finding.</param>
/// <param name="Message">A one-line explanation.</param>
/// <param name="FilePath">The file concerned, when there is one.</param>
public sealed record SeriesIssue(SeriesIssueKind Kind, string Message, string? FilePath = null);

/// <summary>A series found beside the one loaded.</summary>
/// <param name="SeriesInstanceUid">Its Series Instance UID.</param>
/// <param name="Files">How many files it has.</param>
public sealed record SeriesSummary(string SeriesInstanceUid, int Files);

/// <summary>The report of a series load.</summary>
/// <param name="SeriesInstanceUid">The series loaded.</param>
/// <param name="SliceFiles">Its files in slice order (k = 0 first), as used for the volume; frames of a multi-frame file as "PATH frame N" (1-based).</param>
/// <param name="OtherSeries">Series found among the inputs but not loaded.</param>
/// <param name="Issues">Files dropped and doubts about the geometry.</param>
public sealed record SeriesReport(
    string SeriesInstanceUid,
    IReadOnlyList<string> SliceFiles,
    IReadOnlyList<SeriesSummary> OtherSeries,
    IReadOnlyList<SeriesIssue> Issues)
{
    /// <summary>The slices used for the volume, in the order of <see cref="SliceFiles"/>, with their plane index and SOP UIDs (what derived objects such as a DICOM-SEG reference).</summary>
    public IReadOnlyList<SeriesSlice> Slices { get; init; } = [];
}

/// <summary>One slice of a loaded series: where it came from and which plane k of the volume it fills.</summary>
/// <param name="Path">The file.</param>
/// <param name="FrameNumber">The 1-based frame number in a multi-frame file; null for a single-frame file.</param>
/// <param name="Plane">The plane index k in the volume.</param>
/// <param name="SopClassUid">The file's SOP Class UID, when present.</param>
/// <param name="SopInstanceUid">The file's SOP Instance UID, when present.</param>
public sealed record SeriesSlice(string Path, int? FrameNumber, int Plane, string? SopClassUid, string? SopInstanceUid);
