namespace MiM.Bundles.Imaging.Transforms.Grids;

/// <summary>How a resampled voxel takes its value from the source grid.</summary>
public enum Interpolation
{
    /// <summary>The value of the nearest source voxel: the only choice for labels, so no new label value appears.</summary>
    Nearest = 0,

    /// <summary>Trilinear interpolation between the eight surrounding source voxels (MONAI's "bilinear" in 3D).</summary>
    Linear = 1,
}
