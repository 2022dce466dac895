using MiM.Bundles.Dicom.Codecs;
using MiM.Bundles.Dicom.Core;

namespace MiM.Bundles.Dicom.Pixels;

/// <summary>Reads the Image Pixel module attributes of a data set into a codec <see cref="PixelFormat"/>.</summary>
internal static class PixelFormatReader
{
    /// <summary>The pixel format of <paramref name="dataset"/>; missing or unsupported attributes are a <see cref="DicomException"/>.</summary>
    public static PixelFormat Read(DicomDataset dataset, string? filePath)
    {
        var rows = Required(dataset, DicomTag.Rows, filePath, "the number of rows");
        var columns = Required(dataset, DicomTag.Columns, filePath, "the number of columns");
        var samples = dataset.GetInt32(ImageTags.SamplesPerPixel) ?? 1;
        var allocated = Required(dataset, ImageTags.BitsAllocated, filePath, "8 or 16");
        var stored = dataset.GetInt32(ImageTags.BitsStored) ?? allocated;
        var signed = (dataset.GetInt32(ImageTags.PixelRepresentation) ?? 0) == 1;
        var planar = (dataset.GetInt32(ImageTags.PlanarConfiguration) ?? 0) == 1;
        if (allocated is not (8 or 16))
        {
            throw new DicomException($"Bits Allocated is {allocated}; expected 8 or 16", filePath, ImageTags.BitsAllocated, null);
        }

        if (stored < 1 || stored > allocated)
        {
            throw new DicomException($"Bits Stored is {stored}; expected 1..{allocated}", filePath, ImageTags.BitsStored, null);
        }

        if (samples is not (1 or 3))
        {
            throw new DicomException($"Samples per Pixel is {samples}; expected 1 or 3", filePath, ImageTags.SamplesPerPixel, null);
        }

        if (rows <= 0 || columns <= 0 || rows > 65535 || columns > 65535)
        {
            throw new DicomException($"image size {rows}x{columns} is outside 1..65535", filePath, DicomTag.Rows, null);
        }

        return new PixelFormat(rows, columns, samples, allocated, stored, signed, planar);
    }

    /// <summary>Number of Frames, 1 when absent; below 1 is a <see cref="DicomException"/>.</summary>
    public static int Frames(DicomDataset dataset, string? filePath)
    {
        var frames = dataset.GetInt32(ImageTags.NumberOfFrames) ?? 1;
        return frames >= 1 ? frames : throw new DicomException($"Number of Frames is {frames}; expected 1 or more", filePath, ImageTags.NumberOfFrames, null);
    }

    private static int Required(DicomDataset dataset, DicomTag tag, string? filePath, string expected) =>
        dataset.GetInt32(tag) ?? throw new DicomException($"missing; expected {expected}", filePath, tag, null);
}
