using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Pixels;

namespace MiM.Bundles.Dicom.Series;

/// <summary>Reads a file's header (stopping before pixel data) into a <see cref="SliceHeader"/>.</summary>
internal static class SliceHeaderReader
{
    private static readonly DicomReadOptions HeaderOnly = new() { PixelData = PixelDataReading.StopBefore };
    private static readonly DicomTag SliceThickness = new(0x0018, 0x0050);

    /// <summary>Reads <paramref name="path"/>; anything that is not a single-frame greyscale slice with geometry is a <see cref="DicomException"/>.</summary>
    public static SliceHeader Read(string path)
    {
        var data = DicomFile.Open(path, HeaderOnly).Dataset;
        var series = data.GetUid(ImageTags.SeriesInstanceUid) ?? throw Missing(path, ImageTags.SeriesInstanceUid, "a Series Instance UID");
        var frames = data.GetInt32(ImageTags.NumberOfFrames) ?? 1;
        if (frames != 1)
        {
            throw new DicomException($"{frames} frames; expected a single-frame image (enhanced multi-frame CT is not supported yet)", path, ImageTags.NumberOfFrames, null);
        }

        var samples = data.GetInt32(ImageTags.SamplesPerPixel) ?? 1;
        if (samples != 1)
        {
            throw new DicomException($"{samples} samples per pixel; expected 1 (greyscale)", path, ImageTags.SamplesPerPixel, null);
        }

        var iop = Numbers(data, path, ImageTags.ImageOrientationPatient, 6, "6 direction cosines (row\\column)");
        var row = new Vector3D(iop[0], iop[1], iop[2]);
        var column = new Vector3D(iop[3], iop[4], iop[5]);
        if (Math.Abs(row.Length - 1) > 1e-3 || Math.Abs(column.Length - 1) > 1e-3 || Math.Abs(row.Dot(column)) > 1e-3)
        {
            throw new DicomException($"direction cosines {row} and {column}; expected two perpendicular unit vectors", path, ImageTags.ImageOrientationPatient, null);
        }

        var ipp = Numbers(data, path, ImageTags.ImagePositionPatient, 3, "3 coordinates");
        var spacing = Numbers(data, path, ImageTags.PixelSpacing, 2, "2 positive spacings (between rows\\between columns)");
        if (!(spacing[0] > 0 && spacing[1] > 0))
        {
            throw new DicomException($"pixel spacing {spacing[0]}\\{spacing[1]}; expected two positive values", path, ImageTags.PixelSpacing, null);
        }

        return new SliceHeader(
            path,
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
            data.GetDouble(SliceThickness));
    }

    private static IReadOnlyList<double> Numbers(DicomDataset data, string path, DicomTag tag, int count, string expected)
    {
        var values = data.GetDoubles(tag);
        return values.Count == count && values.All(double.IsFinite)
            ? values
            : throw new DicomException($"{values.Count} value(s); expected {expected}", path, tag, null);
    }

    private static DicomException Missing(string path, DicomTag tag, string expected) => new($"missing; expected {expected}", path, tag, null);
}
