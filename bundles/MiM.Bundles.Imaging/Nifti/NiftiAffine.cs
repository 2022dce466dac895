using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Nifti;

/// <summary>
/// A voxel-to-world affine: world = I·(column 0) + J·(column 1) + K·(column 2) + translation,
/// where the columns carry the spacing. NIfTI's world is RAS; <see cref="SwapRasLps"/> converts either way.
/// </summary>
internal readonly record struct NiftiAffine(Vector3D Column0, Vector3D Column1, Vector3D Column2, Vector3D Translation)
{
    /// <summary>The column for axis 0, 1 or 2.</summary>
    public Vector3D Column(int axis) => axis switch
    {
        0 => Column0,
        1 => Column1,
        2 => Column2,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "Axis must be 0, 1 or 2."),
    };

    /// <summary>Negates the x and y rows: RAS and LPS differ exactly there, so this maps each to the other.</summary>
    public NiftiAffine SwapRasLps() =>
        new(FlipXY(Column0), FlipXY(Column1), FlipXY(Column2), FlipXY(Translation));

    /// <summary>The affine of an LPS <see cref="VolumeGeometry"/>'s grid.</summary>
    public static NiftiAffine FromGeometry(VolumeGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var d = geometry.Direction;
        var s = geometry.Spacing;
        return new NiftiAffine(d.IAxis * s.X, d.JAxis * s.Y, d.KAxis * s.Z, geometry.Origin);
    }

    private static Vector3D FlipXY(Vector3D v) => new(-v.X, -v.Y, v.Z);
}
