using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms.Grids;

namespace MiM.Bundles.Model.Data;

/// <summary>
/// Reorders and flips a grid's axes to the closest RAS orientation without resampling, as MONAI's
/// <c>Orientation(axcodes="RAS")</c> does: pre-training's use of the general <see cref="AxisReorientation"/> that the
/// Orientation transform also runs. Every voxel keeps its physical position.
/// </summary>
public static class RasReorientation
{
    /// <summary>The axis mapping to the closest RAS grid.</summary>
    /// <exception cref="ArgumentException">The direction cosines are not orthonormal.</exception>
    public static AxisMapping Plan(Direction3D direction) => AxisReorientation.Plan(direction, AxisCodes.Ras);

    /// <summary>Reorients <paramref name="volume"/> to RAS into a new buffer; the input is not changed.</summary>
    public static Volume Apply(Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var (voxels, geometry) = Apply(volume.Voxels, volume.Geometry);
        return new Volume(geometry, voxels);
    }

    /// <summary>Reorients a label map to RAS into a new buffer, so labels stay aligned with their reoriented image.</summary>
    public static LabelMap Apply(LabelMap labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var (voxels, geometry) = Apply(labels.Voxels, labels.Geometry);
        return new LabelMap(geometry, voxels);
    }

    /// <summary>
    /// Reorients a voxel buffer (i fastest) of <paramref name="geometry"/> to RAS. Returns a new buffer (i fastest) and
    /// the geometry that places each output voxel where its source voxel was.
    /// </summary>
    /// <exception cref="ArgumentException">The geometry is invalid or the buffer's length does not match it.</exception>
    public static (T[] Voxels, VolumeGeometry Geometry) Apply<T>(T[] voxels, VolumeGeometry geometry)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return AxisReorientation.Apply(voxels, geometry, Plan(geometry.Direction));
    }
}
