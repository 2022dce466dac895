using System.Globalization;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.Derived;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Pixels;
using MiM.Bundles.Dicom.Series;

namespace MiM.Bundles.Dicom.Segmentation;

/// <summary>A segment of a DICOM-SEG: its number, label and segmented property type.</summary>
/// <param name="Number">Segment Number (1-based).</param>
/// <param name="Label">Segment Label.</param>
/// <param name="Type">Segmented Property Type Code (e.g. SCT 10200004 Liver).</param>
public sealed record SegmentEntry(int Number, string Label, CodedConcept Type);

/// <summary>What a DICOM-SEG holds, with each segment's frames placed on a source grid.</summary>
public sealed class SegmentationContent
{
    private readonly Dictionary<int, bool[]> _masks;

    internal SegmentationContent(VolumeGeometry grid, IReadOnlyList<SegmentEntry> segments, Dictionary<int, bool[]> masks)
    {
        Grid = grid;
        Segments = segments;
        _masks = masks;
    }

    /// <summary>The grid the frames were placed on.</summary>
    public VolumeGeometry Grid { get; }

    /// <summary>The segments, in Segment Sequence order.</summary>
    public IReadOnlyList<SegmentEntry> Segments { get; }

    /// <summary>Segment <paramref name="number"/>'s voxels on <see cref="Grid"/> (i fastest); all false where it has no frame.</summary>
    public bool[] Mask(int number) => _masks.TryGetValue(number, out var mask) ? mask : new bool[Grid.Size.VoxelCount];
}

/// <summary>
/// Reads a DICOM-SEG (BINARY or FRACTIONAL, native pixel data) back onto the grid of the series it segments: each frame is
/// placed by its Plane Position (Patient) and the shared Plane Orientation, which must be the grid's own rows and columns
/// (as <see cref="SegmentationWriter"/> writes them). A FRACTIONAL frame counts a voxel in when above half the maximum.
/// </summary>
public static class SegmentationReader
{
    /// <summary>Segmentation Storage.</summary>
    public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.66.4";

    private const double Tolerance = 1e-2;

    private static readonly DicomTag MaximumFractionalValue = new(0x0062, 0x000E);

    /// <summary>Reads <paramref name="file"/> onto <paramref name="grid"/>.</summary>
    /// <exception cref="DicomException">Not a SEG, or frames that do not lie on the grid's planes.</exception>
    public static SegmentationContent Read(DicomFile file, VolumeGeometry grid)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(grid);
        var data = file.Dataset;
        if (data.GetUid(DicomTag.SopClassUid) != SopClassUid)
        {
            throw new DicomException($"not a Segmentation Storage object (SOP Class {data.GetUid(DicomTag.SopClassUid)})");
        }

        var segments = data.GetItems(DerivedTags.SegmentSequence).Select(Segment).ToList();
        var (rows, columns) = (data.GetInt32(DicomTag.Rows) ?? 0, data.GetInt32(DicomTag.Columns) ?? 0);
        if (rows != grid.Size.J || columns != grid.Size.I)
        {
            throw new DicomException($"frames are {columns} x {rows}; the grid's planes are {grid.Size.I} x {grid.Size.J}");
        }

        var frames = data.GetInt32(DerivedTags.NumberOfFrames) ?? 0;
        var perFrame = data.GetItems(FunctionalGroups.PerFrame);
        if (perFrame.Count != frames)
        {
            throw new DicomException($"{perFrame.Count} per-frame functional group items for {frames} frames");
        }

        var shared = FirstItem(data, FunctionalGroups.Shared);
        CheckOrientation(shared, perFrame, grid);
        var fractional = data.GetString(DerivedTags.SegmentationType) == "FRACTIONAL";
        var maxFraction = data.GetInt32(MaximumFractionalValue) ?? 255;
        var pixels = (data[DicomTag.PixelData] as DicomValueElement)?.Buffer.GetBytes()
            ?? throw new DicomException("no native Pixel Data");
        var plane = rows * columns;
        var masks = new Dictionary<int, bool[]>();
        for (var f = 0; f < frames; f++)
        {
            var number = FirstItem(perFrame[f], DerivedTags.SegmentIdentificationSequence)?.GetInt32(DerivedTags.ReferencedSegmentNumber)
                ?? throw new DicomException($"frame {f + 1} names no segment (Segment Identification Sequence)");
            var position = FirstItem(perFrame[f], DerivedTags.PlanePositionSequence)?.GetDoubles(ImageTags.ImagePositionPatient)
                ?? throw new DicomException($"frame {f + 1} has no Plane Position Sequence");
            var index = grid.PhysicalToIndex(new Vector3D(position[0], position[1], position[2]));
            var k = (int)Math.Round(index.Z);
            if (Math.Abs(index.X) > Tolerance || Math.Abs(index.Y) > Tolerance || Math.Abs(index.Z - k) > Tolerance || k < 0 || k >= grid.Size.K)
            {
                throw new DicomException(string.Create(CultureInfo.InvariantCulture, $"frame {f + 1} lies at grid index {index}, not on a plane of the grid"));
            }

            if (!masks.TryGetValue(number, out var mask))
            {
                masks[number] = mask = new bool[grid.Size.VoxelCount];
            }

            for (var n = 0; n < plane; n++)
            {
                var at = ((long)f * plane) + n;
                mask[(k * plane) + n] |= fractional
                    ? pixels[at] * 2 > maxFraction
                    : (pixels[at >> 3] & (1 << (int)(at & 7))) != 0;
            }
        }

        return new SegmentationContent(grid, segments, masks);
    }

    private static DicomDataset? FirstItem(DicomDataset? data, DicomTag tag) =>
        data?.GetItems(tag) is { Count: > 0 } items ? items[0] : null;

    private static SegmentEntry Segment(DicomDataset item)
    {
        var type = FirstItem(item, DerivedTags.SegmentedPropertyTypeCodeSequence);
        return new SegmentEntry(
            item.GetInt32(DerivedTags.SegmentNumber) ?? 0,
            item.GetString(DerivedTags.SegmentLabel) ?? "",
            new CodedConcept(type?.GetString(DerivedTags.CodeValue) ?? "", type?.GetString(DerivedTags.CodingSchemeDesignator) ?? "", type?.GetString(DerivedTags.CodeMeaning) ?? ""));
    }

    private static void CheckOrientation(DicomDataset? shared, IReadOnlyList<DicomDataset> perFrame, VolumeGeometry grid)
    {
        var orientation = (FirstItem(shared, DerivedTags.PlaneOrientationSequence)
            ?? FirstItem(perFrame.Count > 0 ? perFrame[0] : null, DerivedTags.PlaneOrientationSequence))?.GetDoubles(ImageTags.ImageOrientationPatient);
        if (orientation is not { Count: 6 })
        {
            throw new DicomException("no Plane Orientation (Patient) in the functional groups");
        }

        var (i, j) = (grid.Direction.IAxis, grid.Direction.JAxis);
        var expected = new[] { i.X, i.Y, i.Z, j.X, j.Y, j.Z };
        if (expected.Zip(orientation).Any(p => Math.Abs(p.First - p.Second) > 1e-4))
        {
            throw new DicomException($"frames are oriented {string.Join('\\', orientation)}, not as the grid's rows and columns");
        }
    }
}
