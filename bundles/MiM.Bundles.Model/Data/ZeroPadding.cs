namespace MiM.Bundles.Model.Data;

/// <summary>
/// Pads a grid with zeros up to a minimum size per axis, symmetrically as MONAI's <c>SpatialPad</c> does by default:
/// the missing count m is split floor(m/2) before and the rest after. Axes already large enough are untouched.
/// </summary>
public static class ZeroPadding
{
    /// <summary>The voxels added before index 0 on an axis of <paramref name="size"/> padded to <paramref name="minimum"/>.</summary>
    public static int PadBefore(int size, int minimum) => Math.Max(minimum - size, 0) / 2;

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

        var (outI, outJ, outK) = (Math.Max(sizeI, minimum), Math.Max(sizeJ, minimum), Math.Max(sizeK, minimum));
        var (beforeI, beforeJ, beforeK) = (PadBefore(sizeI, minimum), PadBefore(sizeJ, minimum), PadBefore(sizeK, minimum));
        var output = new float[(long)outI * outJ * outK];
        for (var k = 0; k < sizeK; k++)
        {
            for (var j = 0; j < sizeJ; j++)
            {
                var from = (long)sizeI * (j + ((long)sizeJ * k));
                var to = beforeI + ((long)outI * (j + beforeJ + ((long)outJ * (k + beforeK))));
                Array.Copy(voxels, from, output, to, sizeI);
            }
        }

        return new PreparedVolume(output, outI, outJ, outK);
    }
}
