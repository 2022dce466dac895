namespace MiM.Bundles.Imaging.Transforms.Grids;

/// <summary>What a resampled voxel whose position lies outside the source grid receives.</summary>
public enum OutsidePolicy
{
    /// <summary>The value at the nearest edge of the source (MONAI Spacing's default "border" padding).</summary>
    Border = 0,

    /// <summary>
    /// The fill value when more than half a voxel outside the source; the edge value within that half voxel, which is
    /// still the source voxel's own extent.
    /// </summary>
    Fill = 1,
}
