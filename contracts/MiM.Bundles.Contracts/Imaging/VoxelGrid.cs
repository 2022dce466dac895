namespace MiM.Bundles.Contracts.Imaging;

/// <summary>A voxel buffer with its geometry. The buffer is ordered i fastest, then j, then k.</summary>
/// <typeparam name="T">The voxel type.</typeparam>
public abstract class VoxelGrid<T>
    where T : unmanaged
{
    /// <summary>Wraps <paramref name="voxels"/> (not copied) with <paramref name="geometry"/>.</summary>
    /// <exception cref="ArgumentException">The buffer length differs from the grid's voxel count, or the geometry is invalid.</exception>
    protected VoxelGrid(VolumeGeometry geometry, T[] voxels)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(voxels);
        geometry.Validate();
        if (voxels.LongLength != geometry.Size.VoxelCount)
        {
            throw new ArgumentException(
                $"Voxel buffer holds {voxels.LongLength} values but a {geometry.Size} grid needs {geometry.Size.VoxelCount}.",
                nameof(voxels));
        }

        Geometry = geometry;
        Voxels = voxels;
    }

    /// <summary>Where the grid lies in the patient.</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>The voxels, i fastest. Shared, not copied: callers may read and write it in place.</summary>
    public T[] Voxels { get; }

    /// <summary>The grid's size.</summary>
    public GridSize Size => Geometry.Size;

    /// <summary>The voxel at index (i, j, k).</summary>
    public T this[int i, int j, int k]
    {
        get => Voxels[Size.Offset(i, j, k)];
        set => Voxels[Size.Offset(i, j, k)] = value;
    }
}
