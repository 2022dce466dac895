namespace MiM.Bundles.Dicom.Segmentation;

/// <summary>One frame of a DICOM-SEG: segment <paramref name="SegmentNumber"/> (1-based) on plane <paramref name="Plane"/> of the source grid.</summary>
/// <param name="SegmentNumber">The segment's number in the Segment Sequence.</param>
/// <param name="LabelValue">The label map value the segment stands for.</param>
/// <param name="Plane">The plane index k.</param>
/// <param name="Voxels">How many of the plane's voxels carry the label.</param>
internal sealed record SegmentFrame(int SegmentNumber, ushort LabelValue, int Plane, long Voxels);
