using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Nifti;

/// <summary>
/// Derives the LPS <see cref="VolumeGeometry"/> of a NIfTI-1 image: sform when its code is set and it has no shear,
/// else qform, else the standard's "method 1" (spacing only, origin 0). NIfTI world coordinates are RAS.
/// </summary>
internal static class NiftiGeometryDecoder
{
    // Cosine of the angle between two axes above which the sform counts as sheared; matches Direction3D.IsOrthonormal.
    private const double ShearTolerance = 1e-4;

    /// <summary>The geometry of a grid of <paramref name="size"/> described by <paramref name="header"/>.</summary>
    /// <exception cref="NiftiFormatException">The transform has a non-positive spacing or a shear with no qform to fall back on.</exception>
    public static VolumeGeometry Decode(NiftiHeader header, GridSize size, string path)
    {
        ArgumentNullException.ThrowIfNull(header);
        NiftiAffine ras;
        if (header.SformCode > 0)
        {
            ras = SformAffine(header);
            CheckColumnsNonZero(ras, "sform (srow_x/y/z)", path);
            var shear = MaxAxisCosine(ras);
            if (shear > ShearTolerance)
            {
                if (header.QformCode <= 0)
                {
                    throw new NiftiFormatException(
                        path, $"the sform has sheared axes (largest cosine between axes {shear:G3}) and there is no qform to fall back on; shear is not supported");
                }

                ras = QformAffine(header, path);
            }
        }
        else if (header.QformCode > 0)
        {
            ras = QformAffine(header, path);
        }
        else
        {
            var spacing = PositiveSpacing(header, path);
            ras = new NiftiAffine(new Vector3D(spacing.X, 0, 0), new Vector3D(0, spacing.Y, 0), new Vector3D(0, 0, spacing.Z), default);
        }

        return ToGeometry(ras.SwapRasLps(), size);
    }

    private static NiftiAffine SformAffine(NiftiHeader h) => new(
        new Vector3D(h.SRowX[0], h.SRowY[0], h.SRowZ[0]),
        new Vector3D(h.SRowX[1], h.SRowY[1], h.SRowZ[1]),
        new Vector3D(h.SRowX[2], h.SRowY[2], h.SRowZ[2]),
        new Vector3D(h.SRowX[3], h.SRowY[3], h.SRowZ[3]));

    private static NiftiAffine QformAffine(NiftiHeader h, string path)
    {
        var spacing = PositiveSpacing(h, path);

        // qfac should be ±1; files with 0 exist, and the standard says to treat anything but -1 as 1.
        var qfac = h.PixDim[0] < 0 ? -1.0 : 1.0;
        var (i, j, k) = new NiftiQuaternion(h.QuaternB, h.QuaternC, h.QuaternD, qfac).ToAxes();
        return new NiftiAffine(i * spacing.X, j * spacing.Y, k * spacing.Z, new Vector3D(h.QOffsetX, h.QOffsetY, h.QOffsetZ));
    }

    private static Vector3D PositiveSpacing(NiftiHeader h, string path)
    {
        for (var n = 1; n <= 3; n++)
        {
            if (!(h.PixDim[n] > 0) || !float.IsFinite(h.PixDim[n]))
            {
                throw new NiftiFormatException(path, $"invalid spacing: pixdim[{n}] is {h.PixDim[n]}, but voxel spacing must be positive");
            }
        }

        return new Vector3D(h.PixDim[1], h.PixDim[2], h.PixDim[3]);
    }

    private static void CheckColumnsNonZero(NiftiAffine affine, string source, string path)
    {
        for (var axis = 0; axis < 3; axis++)
        {
            var length = affine.Column(axis).Length;
            if (!(length > 0) || !double.IsFinite(length))
            {
                throw new NiftiFormatException(
                    path, $"invalid spacing: the {source} gives axis {axis} a length of {length}, but voxel spacing must be positive");
            }
        }
    }

    private static double MaxAxisCosine(NiftiAffine affine)
    {
        var i = affine.Column0.Normalized();
        var j = affine.Column1.Normalized();
        var k = affine.Column2.Normalized();
        return Math.Max(Math.Abs(i.Dot(j)), Math.Max(Math.Abs(i.Dot(k)), Math.Abs(j.Dot(k))));
    }

    private static VolumeGeometry ToGeometry(NiftiAffine lps, GridSize size)
    {
        var spacing = new Vector3D(lps.Column0.Length, lps.Column1.Length, lps.Column2.Length);
        var direction = new Direction3D(lps.Column0 / spacing.X, lps.Column1 / spacing.Y, lps.Column2 / spacing.Z);
        return new VolumeGeometry(size, lps.Translation, spacing, direction);
    }
}
