using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;

namespace MiM.Bundles.Dicom.Network.Inbox;

/// <summary>The identifying UIDs of a stored instance, read from its header (reading stops before pixel data).</summary>
/// <param name="StudyInstanceUid">Study Instance UID.</param>
/// <param name="SeriesInstanceUid">Series Instance UID.</param>
/// <param name="SopInstanceUid">SOP Instance UID of the data set, or null when the data set has none.</param>
/// <param name="SopClassUid">Media Storage SOP Class UID of the meta group, or null.</param>
/// <param name="SourceAeTitle">Source Application Entity Title of the meta group, or null.</param>
internal sealed record InstanceHeader(string StudyInstanceUid, string SeriesInstanceUid, string? SopInstanceUid, string? SopClassUid, string? SourceAeTitle)
{
    private static readonly DicomReadOptions HeaderOnly = new() { PixelData = PixelDataReading.StopBefore };
    private static readonly DicomTag StudyInstanceUidTag = new(0x0020, 0x000D);
    private static readonly DicomTag SeriesInstanceUidTag = new(0x0020, 0x000E);
    private static readonly DicomTag SourceApplicationEntityTitle = new(0x0002, 0x0016);

    /// <summary>Reads <paramref name="path"/>; null with <paramref name="reason"/> when the header cannot be parsed or
    /// lacks a usable Study or Series Instance UID (they become folder names, so they must be valid UIDs). A read that
    /// failed for an I/O reason (not malformed data) throws <see cref="IOException"/>: the file may well be valid.</summary>
    /// <param name="path">The file.</param>
    /// <param name="reason">Why it is not usable, when null is returned.</param>
    /// <param name="openRead">Opens the file for reading (a seam for tests); null: the file system.</param>
    public static InstanceHeader? TryRead(string path, out string? reason, Func<string, Stream>? openRead = null)
    {
        DicomFile file;
        try
        {
            file = openRead is null ? DicomFile.Open(path, HeaderOnly) : DicomFile.Open(() => openRead(path), path, HeaderOnly);
        }
        catch (Exception ex) when (ex is DicomException or IOException or InvalidDataException or FormatException or ArgumentException or OverflowException or IndexOutOfRangeException or InvalidOperationException)
        {
            if (StorageErrors.TransientCause(ex) is { } io)
            {
                throw new IOException($"reading the header of {path} failed: {io.Message}", io);
            }

            reason = $"the header cannot be parsed: {ex.GetType().Name}: {ex.Message}";
            return null;
        }

        var study = file.Dataset.GetUid(StudyInstanceUidTag);
        var series = file.Dataset.GetUid(SeriesInstanceUidTag);
        if (!DicomUidSyntax.IsValid(study))
        {
            reason = study is null ? "no Study Instance UID (0020,000D)" : $"Study Instance UID '{study}' is not a valid UID";
            return null;
        }

        if (!DicomUidSyntax.IsValid(series))
        {
            reason = series is null ? "no Series Instance UID (0020,000E)" : $"Series Instance UID '{series}' is not a valid UID";
            return null;
        }

        reason = null;
        return new InstanceHeader(
            study!,
            series!,
            file.Dataset.GetUid(DicomTag.SopInstanceUid),
            file.Meta.GetUid(DicomTag.MediaStorageSopClassUid),
            file.Meta.GetString(SourceApplicationEntityTitle)?.Trim());
    }
}
