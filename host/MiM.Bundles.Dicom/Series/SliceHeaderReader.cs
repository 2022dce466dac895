using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Pixels;

namespace MiM.Bundles.Dicom.Series;

/// <summary>
/// Reads a file's header (stopping before pixel data) into slice headers: one for a single-frame image, one per frame
/// for an enhanced multi-frame image (geometry and rescale from the per-frame or shared functional groups).
/// </summary>
internal static class SliceHeaderReader
{
    private static readonly DicomReadOptions HeaderOnly = new() { PixelData = PixelDataReading.StopBefore };
    private static readonly DicomTag SliceThickness = new(0x0018, 0x0050);

    /// <summary>Reads <paramref name="path"/>; anything that is not a greyscale image with geometry is a <see cref="DicomException"/>.</summary>
    public static IReadOnlyList<SliceHeader> Read(string path)
    {
        var file = DicomFile.Open(path, HeaderOnly);
        var data = file.Dataset;
        var series = data.GetUid(ImageTags.SeriesInstanceUid) ?? throw Missing(path, ImageTags.SeriesInstanceUid, "a Series Instance UID");
        var samples = data.GetInt32(ImageTags.SamplesPerPixel) ?? 1;
        if (samples != 1)
        {
            throw new DicomException($"{samples} samples per pixel; expected 1 (greyscale)", path, ImageTags.SamplesPerPixel, null);
        }

        var frames = data.GetInt32(ImageTags.NumberOfFrames) ?? 1;
        var enhanced = FunctionalGroups.IsEnhanced(data);
        if (frames != 1 && !enhanced)
        {
            throw new DicomException($"{frames} frames without functional groups; expected a single-frame image or an enhanced multi-frame image", path, ImageTags.NumberOfFrames, null);
        }

        if (frames < 1)
        {
            throw new DicomException($"{frames} frames; expected 1 or more", path, ImageTags.NumberOfFrames, null);
        }

        var headers = new List<SliceHeader>(frames);
        for (var f = 0; f < frames; f++)
        {
            headers.Add(ReadFrame(data, path, series, enhanced ? f : null) with { File = file });
        }

        return headers;
    }

    private static SliceHeader ReadFrame(DicomDataset data, string path, string series, int? frame)
    {
        DicomDataset Source(DicomTag macro) => frame is { } f ? FunctionalGroups.Find(data, f, macro) ?? data : data;
        var where = frame is { } n ? $"frame {n + 1}: " : string.Empty;
        var iop = Numbers(Source(FunctionalGroups.PlaneOrientation), path, ImageTags.ImageOrientationPatient, 6, where, "6 direction cosines (row\\column)");
        var row = new Vector3D(iop[0], iop[1], iop[2]);
        var column = new Vector3D(iop[3], iop[4], iop[5]);
        if (Math.Abs(row.Length - 1) > 1e-3 || Math.Abs(column.Length - 1) > 1e-3 || Math.Abs(row.Dot(column)) > 1e-3)
        {
            throw new DicomException($"{where}direction cosines {row} and {column}; expected two perpendicular unit vectors", path, ImageTags.ImageOrientationPatient, null);
        }

        var ipp = Numbers(Source(FunctionalGroups.PlanePosition), path, ImageTags.ImagePositionPatient, 3, where, "3 coordinates");
        var measures = Source(FunctionalGroups.PixelMeasures);
        var spacing = Numbers(measures, path, ImageTags.PixelSpacing, 2, where, "2 positive spacings (between rows\\between columns)");
        if (!(spacing[0] > 0 && spacing[1] > 0))
        {
            throw new DicomException($"{where}pixel spacing {spacing[0]}\\{spacing[1]}; expected two positive values", path, ImageTags.PixelSpacing, null);
        }

        var rescale = Source(FunctionalGroups.PixelValueTransformation);
        var slope = rescale.GetDouble(ImageTags.RescaleSlope) ?? data.GetDouble(ImageTags.RescaleSlope) ?? 1.0;
        var intercept = rescale.GetDouble(ImageTags.RescaleIntercept) ?? data.GetDouble(ImageTags.RescaleIntercept) ?? 0.0;
        if (!double.IsFinite(slope) || slope == 0 || !double.IsFinite(intercept))
        {
            throw new DicomException($"{where}rescale slope {slope} and intercept {intercept}; expected a finite non-zero slope and a finite intercept", path, ImageTags.RescaleSlope, null);
        }

        return new SliceHeader(
            path,
            frame,
            series,
            data.GetInt32(ImageTags.InstanceNumber) ?? 0,
            row.Normalized(),
            column.Normalized(),
            new Vector3D(ipp[0], ipp[1], ipp[2]),
            spacing[0],
            spacing[1],
            data.GetInt32(DicomTag.Rows) ?? throw Missing(path, DicomTag.Rows, "the number of rows"),
            data.GetInt32(DicomTag.Columns) ?? throw Missing(path, DicomTag.Columns, "the number of columns"),
            data.GetUid(ImageTags.FrameOfReferenceUid),
            measures.GetDouble(SliceThickness) ?? data.GetDouble(SliceThickness),
            slope,
            intercept,
            data.GetUid(DicomTag.SopClassUid),
            data.GetUid(DicomTag.SopInstanceUid));
    }

    private static IReadOnlyList<double> Numbers(DicomDataset data, string path, DicomTag tag, int count, string where, string expected)
    {
        var values = data.GetDoubles(tag);
        return values.Count == count && values.All(double.IsFinite)
            ? values
            : throw new DicomException($"{where}{values.Count} value(s); expected {expected}", path, tag, null);
    }

    private static DicomException Missing(string path, DicomTag tag, string expected) => new($"missing; expected {expected}", path, tag, null);
}
