using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Series;

namespace MiM.Bundles.Dicom.Derived;

/// <summary>
/// What a derived object (DICOM-SEG, SR) needs from the series it was computed from: the volume grid, every source
/// image with its plane, and the patient/study attributes to copy (the header of the first source file).
/// </summary>
public sealed class SourceSeries
{
    /// <summary>Creates the description of a source series.</summary>
    /// <param name="geometry">The source volume's grid (plane k of <see cref="Images"/> lies on it).</param>
    /// <param name="seriesInstanceUid">The source Series Instance UID.</param>
    /// <param name="header">A source header: patient, study and frame of reference attributes are copied from it.</param>
    /// <param name="images">Every source image, in plane order.</param>
    /// <exception cref="DicomException">No images, or the header lacks a Study Instance UID.</exception>
    public SourceSeries(VolumeGeometry geometry, string seriesInstanceUid, DicomDataset header, IReadOnlyList<SourceImage> images)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentException.ThrowIfNullOrEmpty(seriesInstanceUid);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            throw new DicomException($"source series {seriesInstanceUid} has no images; expected at least one to reference");
        }

        Geometry = geometry;
        SeriesInstanceUid = seriesInstanceUid;
        Header = header;
        Images = images;
        StudyInstanceUid = header.GetUid(DerivedTags.StudyInstanceUid)
            ?? throw new DicomException($"source series {seriesInstanceUid} has no Study Instance UID; expected one to place the result in the same study", null, DerivedTags.StudyInstanceUid, null);
        FrameOfReferenceUid = geometry.FrameOfReferenceUid ?? header.GetUid(DerivedTags.FrameOfReferenceUid);
    }

    /// <summary>The source volume's grid.</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>The source Series Instance UID.</summary>
    public string SeriesInstanceUid { get; }

    /// <summary>The source Study Instance UID (the result joins this study).</summary>
    public string StudyInstanceUid { get; }

    /// <summary>The Frame of Reference UID of the source, when it has one.</summary>
    public string? FrameOfReferenceUid { get; }

    /// <summary>The header patient and study attributes are copied from.</summary>
    public DicomDataset Header { get; }

    /// <summary>Every source image, in plane order.</summary>
    public IReadOnlyList<SourceImage> Images { get; }

    /// <summary>The distinct source instances (a multi-frame instance once), in plane order of their first frame.</summary>
    public IReadOnlyList<SourceImage> Instances => [.. Images.DistinctBy(i => i.SopInstanceUid)];

    /// <summary>Describes a series loaded by <see cref="CtSeriesLoader"/>; reads the first slice's header again for patient and study attributes.</summary>
    /// <exception cref="DicomException">A slice has no SOP Class or Instance UID, or the header cannot be read.</exception>
    public static SourceSeries FromLoad(CtSeries loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        return FromReport(loaded.Volume.Geometry, loaded.Report);
    }

    /// <summary>Describes a series scanned (headers only) by <see cref="CtSeriesLoader.ScanFolder"/>.</summary>
    /// <exception cref="DicomException">As for <see cref="FromLoad"/>.</exception>
    public static SourceSeries FromScan(SeriesScan scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        return FromReport(scan.Geometry, scan.Report);
    }

    private static SourceSeries FromReport(VolumeGeometry geometry, SeriesReport report)
    {
        var slices = report.Slices;
        if (slices.Count == 0)
        {
            throw new DicomException($"the load report of series {report.SeriesInstanceUid} lists no slices; expected a report from CtSeriesLoader");
        }

        var images = slices.Select(s => new SourceImage(
            s.SopClassUid ?? throw new DicomException("no SOP Class UID; expected one to reference the image", s.Path, DicomTag.SopClassUid, null),
            s.SopInstanceUid ?? throw new DicomException("no SOP Instance UID; expected one to reference the image", s.Path, DicomTag.SopInstanceUid, null),
            s.FrameNumber,
            s.Plane)).ToList();
        var header = DicomFile.Open(slices[0].Path, new DicomReadOptions { PixelData = PixelDataReading.StopBefore }).Dataset;
        return new SourceSeries(geometry, report.SeriesInstanceUid, header, images);
    }
}
