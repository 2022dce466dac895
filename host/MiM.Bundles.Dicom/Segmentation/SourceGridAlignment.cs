using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Dicom.Segmentation;

/// <summary>
/// Puts a label map on the source series' grid. The same grid passes as it is; the same voxel lattice stored in
/// another axis order or direction (a NIfTI in RAS order, dcm2niix's flipped rows) is reordered voxel for voxel,
/// which loses nothing; anything else (another spacing, a shift, a rotation, another extent) is refused saying what
/// differs. No interpolating resampling: a segmentation head's post-processing puts its output back on the source
/// grid, so such a mismatch is a bug upstream, not a case to paper over.
/// </summary>
internal static class SourceGridAlignment
{
    private const double ToleranceMm = 1e-3;
    private const double DirectionTolerance = 1e-4;
    private const double IndexTolerance = 1e-3;

    /// <exception cref="DicomException">The label map's voxels are not the source grid's voxels.</exception>
    public static LabelMap Align(LabelMap labels, VolumeGeometry source)
    {
        var differences = Differences(labels.Geometry, source);
        if (differences.Count == 0)
        {
            return labels;
        }

        return Reorder(labels, source) ?? throw new DicomException(
            $"the label map is not on the source series' grid (label map vs source): {string.Join("; ", differences)}; expected the same voxels, in any axis order (resample the label map nearest-neighbour onto the series first)");
    }

    private static List<string> Differences(VolumeGeometry labels, VolumeGeometry source)
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

        return differences;
    }

    /// <summary>The label map on <paramref name="target"/> when its index map is a signed permutation with whole offsets; else null.</summary>
    private static LabelMap? Reorder(LabelMap labels, VolumeGeometry target)
    {
        Vector3D IndexOf(int i, int j, int k) => labels.Geometry.PhysicalToIndex(target.IndexToPhysical(i, j, k));
        var offset = IndexOf(0, 0, 0);
        Vector3D[] steps = [IndexOf(1, 0, 0) - offset, IndexOf(0, 1, 0) - offset, IndexOf(0, 0, 1) - offset];
        var axis = new int[3];
        var sign = new int[3];
        for (var t = 0; t < 3; t++)
        {
            var found = -1;
            for (var s = 0; s < 3; s++)
            {
                var v = steps[t][s];
                if (Math.Abs(Math.Abs(v) - 1) < IndexTolerance && found < 0)
                {
                    found = s;
                    sign[t] = Math.Sign(v);
                }
                else if (Math.Abs(v) > IndexTolerance)
                {
                    return null;
                }
            }

            if (found < 0)
            {
                return null;
            }

            axis[t] = found;
        }

        if (axis.Distinct().Count() != 3)
        {
            return null;
        }

        var start = new int[3];
        for (var s = 0; s < 3; s++)
        {
            start[s] = (int)Math.Round(offset[s]);
            if (Math.Abs(offset[s] - start[s]) > IndexTolerance)
            {
                return null;
            }
        }

        // Every target voxel must land inside the label map: check the far corner along each target axis.
        var size = labels.Size;
        for (var t = 0; t < 3; t++)
        {
            var last = start[axis[t]] + (sign[t] * (target.Size[t] - 1));
            if (start[axis[t]] < 0 || start[axis[t]] >= size[axis[t]] || last < 0 || last >= size[axis[t]])
            {
                return null;
            }
        }

        var voxels = new ushort[target.Size.VoxelCount];
        var stride = new long[] { 1, size.I, (long)size.I * size.J };
        Parallel.For(0, target.Size.K, k =>
        {
            for (var j = 0; j < target.Size.J; j++)
            {
                var at = (start[0] * stride[0]) + (start[1] * stride[1]) + (start[2] * stride[2])
                    + (sign[1] * j * stride[axis[1]]) + (sign[2] * k * stride[axis[2]]);
                var row = target.Size.Offset(0, j, k);
                var step = sign[0] * stride[axis[0]];
                for (var i = 0; i < target.Size.I; i++, at += step)
                {
                    voxels[row + i] = labels.Voxels[at];
                }
            }
        });
        return new LabelMap(target, voxels);
    }
}
