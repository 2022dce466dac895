using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Nifti;

/// <summary>Writes an LPS <see cref="VolumeGeometry"/> into a header as both sform and qform (code 1, scanner) in RAS.</summary>
internal static class NiftiGeometryEncoder
{
    private const short ScannerAnatomical = 1;
    private const byte Millimetres = 2;

    /// <summary>Sets dim, pixdim, units, sform and qform of <paramref name="header"/> from <paramref name="geometry"/>.</summary>
    public static void Encode(VolumeGeometry geometry, NiftiHeader header)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(header);
        var size = geometry.Size;
        if (size.I > short.MaxValue || size.J > short.MaxValue || size.K > short.MaxValue)
        {
            throw new ArgumentException($"NIfTI-1 stores dimensions as 16-bit integers; a {size} grid does not fit.", nameof(geometry));
        }

        header.Dim = [3, (short)size.I, (short)size.J, (short)size.K, 1, 1, 1, 1];
        header.XyztUnits = Millimetres;

        var ras = NiftiAffine.FromGeometry(geometry).SwapRasLps();
        header.SformCode = ScannerAnatomical;
        header.SRowX = [(float)ras.Column0.X, (float)ras.Column1.X, (float)ras.Column2.X, (float)ras.Translation.X];
        header.SRowY = [(float)ras.Column0.Y, (float)ras.Column1.Y, (float)ras.Column2.Y, (float)ras.Translation.Y];
        header.SRowZ = [(float)ras.Column0.Z, (float)ras.Column1.Z, (float)ras.Column2.Z, (float)ras.Translation.Z];

        var spacing = geometry.Spacing;
        var quaternion = NiftiQuaternion.FromAxes(
            ras.Column0 / spacing.X, ras.Column1 / spacing.Y, ras.Column2 / spacing.Z);
        header.QformCode = ScannerAnatomical;
        header.QuaternB = (float)quaternion.B;
        header.QuaternC = (float)quaternion.C;
        header.QuaternD = (float)quaternion.D;
        header.QOffsetX = (float)ras.Translation.X;
        header.QOffsetY = (float)ras.Translation.Y;
        header.QOffsetZ = (float)ras.Translation.Z;
        header.PixDim = [(float)quaternion.QFac, (float)spacing.X, (float)spacing.Y, (float)spacing.Z, 0, 0, 0, 0];
    }
}
