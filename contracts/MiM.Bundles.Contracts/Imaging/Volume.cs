namespace MiM.Bundles.Contracts.Imaging;

/// <summary>An intensity volume (for CT: Hounsfield units after rescale) with its geometry.</summary>
public sealed class Volume : VoxelGrid<float>
{
    /// <summary>Wraps <paramref name="voxels"/> (not copied) with <paramref name="geometry"/>.</summary>
    public Volume(VolumeGeometry geometry, float[] voxels)
        : base(geometry, voxels)
    {
    }

    /// <summary>A zero-filled volume of the given geometry (a large one in huge pages where the kernel allows).</summary>
    public static Volume Zeros(VolumeGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return new Volume(geometry, VoxelArrays.Zeros<float>(geometry.Size.VoxelCount));
    }
}
