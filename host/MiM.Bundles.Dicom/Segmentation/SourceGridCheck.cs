using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Dicom.Segmentation;

/// <summary>
/// Refuses a label map that is not on the source series' grid, saying what differs. No resampling: a segmentation
/// head's post-processing puts its output back on the source grid, so a mismatch is a bug upstream, not a case to paper over.
/// </summary>
internal static class SourceGridCheck
{
    private const double ToleranceMm = 1e-3;
    private const double DirectionTolerance = 1e-4;

    /// <exception cref="DicomException">Size, origin, spacing or direction differ.</exception>
    public static void Ensure(VolumeGeometry labels, VolumeGeometry source)
    {
        var differences = new List<string>();
        if (labels.Size != source.Size)
        {
            differences.Add($"size {labels.Size} vs {source.Size} voxels");
        }

        if ((labels.Origin - source.Origin).Length > ToleranceMm)
        {
            differences.Add($"origin {labels.Origin} vs {source.Origin} mm");
        }

        if ((labels.Spacing - source.Spacing).Length > ToleranceMm)
        {
            differences.Add($"spacing {labels.Spacing} vs {source.Spacing} mm");
        }

        for (var axis = 0; axis < 3; axis++)
        {
            if ((labels.Direction[axis] - source.Direction[axis]).Length > DirectionTolerance)
            {
                differences.Add($"direction of axis {"ijk"[axis]} {labels.Direction[axis]} vs {source.Direction[axis]}");
            }
        }

        if (differences.Count > 0)
        {
            throw new DicomException(
                $"the label map is not on the source series' grid (label map vs source): {string.Join("; ", differences)}; expected the label map on the source grid (resample it nearest-neighbour onto the series first)");
        }
    }
}
