using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Pixels;

namespace MiM.Bundles.Dicom.Series;

/// <summary>
/// Builds the <see cref="Volume"/> of a <see cref="SliceStack"/>: each slice's stored values × Rescale Slope + Rescale
/// Intercept (per slice or frame) into plane k; missing planes linearly interpolated between their neighbours.
/// </summary>
internal static class VolumeAssembler
{
    // Without a header read to go on from, pixels are read in the same pass as the header.
    private static readonly DicomReadOptions WithPixels = new() { PixelData = PixelDataReading.Load };

    // Going on from the header read: the pixel bytes stay in the file until each frame is read into a pooled buffer.
    private static readonly DicomReadOptions PixelsLater = new() { PixelData = PixelDataReading.Defer };

    /// <summary>Reads every slice's pixels and returns the volume.</summary>
    /// <exception cref="DicomException">A slice's pixels cannot be read or do not match its header.</exception>
    public static Volume Assemble(SliceStack stack)
    {
        var first = stack.Slices[0];
        var volume = Volume.Zeros(Geometry(stack));
        var plane = first.Columns * first.Rows;
        // One pixel reader per file, shared by the frames of a multi-frame file; planes are read in parallel.
        var files = new ConcurrentDictionary<string, Lazy<DicomPixelData>>(StringComparer.Ordinal);
        try
        {
            Parallel.For(0, stack.Slices.Count, s =>
                ReadPlane(stack.Slices[s], files, volume.Voxels.AsSpan(stack.PlaneIndices[s] * plane, plane)));
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<DicomException>().FirstOrDefault() is { } failure)
        {
            // Callers (mim dicom to-nifti) handle DicomException; Parallel.For wraps it. The first names the bad file.
            ExceptionDispatchInfo.Throw(failure);
        }
        for (var s = 1; s < stack.Slices.Count; s++)
        {
            Interpolate(volume.Voxels, plane, stack.PlaneIndices[s - 1], stack.PlaneIndices[s]);
        }

        return volume;
    }

    /// <summary>The grid of the stack: origin at the first slice, i = column, j = row, k = row × column.</summary>
    public static VolumeGeometry Geometry(SliceStack stack)
    {
        var first = stack.Slices[0];
        return new VolumeGeometry(
            new GridSize(first.Columns, first.Rows, stack.PlaneCount),
            first.Position,
            new Vector3D(first.ColumnSpacing, first.RowSpacing, stack.SliceSpacing),
            new Direction3D(first.Row, first.Column, first.Normal),
            first.FrameOfReferenceUid);
    }

    private static void ReadPlane(SliceHeader slice, ConcurrentDictionary<string, Lazy<DicomPixelData>> files, Span<float> target)
    {
        var pixels = files.GetOrAdd(slice.Path, path => new Lazy<DicomPixelData>(() => DicomPixelData.Create(
            slice.File is { PixelDataStart: not null } header ? DicomFileReader.ReadPixelData(header, PixelsLater) : DicomFile.Open(path, WithPixels)))).Value;

        if (pixels.Format.Rows != slice.Rows || pixels.Format.Columns != slice.Columns)
        {
            throw new DicomException($"{pixels.Format.Columns}x{pixels.Format.Rows} pixels; expected {slice.Columns}x{slice.Rows} as read from the header", slice.Path, Core.DicomTag.Rows, null);
        }

        pixels.ReadRescaled(slice.Frame ?? 0, slice.RescaleSlope, slice.RescaleIntercept, target);
    }

    private static void Interpolate(float[] voxels, int plane, int below, int above)
    {
        for (var k = below + 1; k < above; k++)
        {
            var t = (float)(k - below) / (above - below);
            for (var p = 0; p < plane; p++)
            {
                var a = voxels[(below * plane) + p];
                var b = voxels[(above * plane) + p];
                voxels[(k * plane) + p] = a + (t * (b - a));
            }
        }
    }
}
