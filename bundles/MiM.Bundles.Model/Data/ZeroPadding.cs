using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms.CropPad;
using MiM.Bundles.Imaging.Transforms.Grids;

namespace MiM.Bundles.Model.Data;

/// <summary>
/// Pads a grid with zeros up to a minimum size per axis, symmetrically as MONAI's <c>SpatialPad</c> does by default:
/// the missing count m is split floor(m/2) before and the rest after. Axes already large enough are untouched.
/// </summary>
public static class ZeroPadding
{
    /// <summary>The voxels added before index 0 on an axis of <paramref name="size"/> padded to <paramref name="minimum"/>.</summary>
    public static int PadBefore(int size, int minimum) => SpatialPadTransform.PadBefore(size, minimum);

    /// <summary>
    /// A buffer (i fastest) of at least <paramref name="minimum"/> voxels per axis holding <paramref name="voxels"/>
    /// in the middle; <paramref name="voxels"/> itself when no axis needs padding.
    /// </summary>
    public static PreparedVolume PadTo(float[] voxels, int sizeI, int sizeJ, int sizeK, int minimum)
    {
        ArgumentNullException.ThrowIfNull(voxels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimum);
        if (sizeI >= minimum && sizeJ >= minimum && sizeK >= minimum)
        {
            return new PreparedVolume(voxels, sizeI, sizeJ, sizeK);
        }

        var output = new GridSize(Math.Max(sizeI, minimum), Math.Max(sizeJ, minimum), Math.Max(sizeK, minimum));
        var start = (-PadBefore(sizeI, minimum), -PadBefore(sizeJ, minimum), -PadBefore(sizeK, minimum));
        return new PreparedVolume(GridRegion.Copy(voxels, new GridSize(sizeI, sizeJ, sizeK), start, output, 0f), output.I, output.J, output.K);
    }
}
