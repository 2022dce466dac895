using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Model.Data;

/// <summary>
/// The MiM pre-training preprocessing of one CT volume (spec §1): reorient to RAS, clip HU to a window, scale to
/// [0, 1], zero-pad each axis up to the crop size. No resampling.
/// </summary>
public static class CtPreprocessor
{
    /// <summary>
    /// Prepares <paramref name="volume"/> for cropping at <paramref name="cropSize"/>; the input is not changed.
    /// Padding is symmetric (MONAI SpatialPad's default): a 100-voxel axis padded to 128 gets 14 zeros before and 14
    /// after; an odd remainder goes after. Zero is <paramref name="huMin"/> after scaling, i.e. air.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cropSize"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The window is empty.</exception>
    public static PreparedVolume Prepare(Volume volume, int cropSize, float huMin = -1000, float huMax = 1000)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cropSize);

        // Reorientation always writes a fresh buffer, so scaling it in place leaves the caller's volume alone.
        var (voxels, geometry) = RasReorientation.Apply(volume.Voxels, volume.Geometry);
        IntensityWindow.ClipAndScale(voxels, huMin, huMax);
        return ZeroPadding.PadTo(voxels, geometry.Size.I, geometry.Size.J, geometry.Size.K, cropSize);
    }
}
