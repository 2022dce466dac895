namespace MiM.Bundles.Contracts.Imaging;

/// <summary>
/// A label map: each voxel holds a segment value (0 = background) whose meaning
/// a <see cref="Results.SegmentDescription"/> with the same value gives.
/// </summary>
public sealed class LabelMap : VoxelGrid<ushort>
{
    /// <summary>Wraps <paramref name="labels"/> (not copied) with <paramref name="geometry"/>.</summary>
    public LabelMap(VolumeGeometry geometry, ushort[] labels)
        : base(geometry, labels)
    {
    }

    /// <summary>An all-background label map of the given geometry (a large one in huge pages where the kernel allows).</summary>
    public static LabelMap Empty(VolumeGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return new LabelMap(geometry, VoxelArrays.Zeros<ushort>(geometry.Size.VoxelCount));
    }

    /// <summary>The number of voxels carrying each value present, background included.</summary>
    public IReadOnlyDictionary<ushort, long> CountVoxels()
    {
        var counts = new Dictionary<ushort, long>();
        foreach (var value in Voxels)
        {
            counts[value] = counts.GetValueOrDefault(value) + 1;
        }

        return counts;
    }
}
