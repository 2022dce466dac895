using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Nifti;

namespace MiM.Bundles.Imaging.Tests.Nifti;

/// <summary>Named grid orientations and voxel patterns that exercise every branch of the geometry and type code.</summary>
internal static class TestGrids
{
    public static readonly string[] Orientations =
        ["identity-lps", "flip-i", "flip-i-and-j", "flip-j", "coronal", "sagittal", "oblique", "mirrored-oblique"];

    public static readonly NiftiDataType[] DataTypes =
        [NiftiDataType.UInt8, NiftiDataType.Int16, NiftiDataType.UInt16, NiftiDataType.Int32, NiftiDataType.Float32, NiftiDataType.Float64];

    public static Direction3D Direction(string orientation) => orientation switch
    {
        "identity-lps" => Direction3D.Identity,
        "flip-i" => new(new(-1, 0, 0), new(0, 1, 0), new(0, 0, 1)), // mirrored, determinant -1
        "flip-i-and-j" => new(new(-1, 0, 0), new(0, -1, 0), new(0, 0, 1)), // RAS storage, as most NIfTI tools write
        "flip-j" => new(new(1, 0, 0), new(0, -1, 0), new(0, 0, 1)),
        "coronal" => new(new(1, 0, 0), new(0, 0, -1), new(0, 1, 0)),
        "sagittal" => new(new(0, 1, 0), new(0, 0, -1), new(-1, 0, 0)),
        "oblique" => Rotation(new Vector3D(1, 2, 3), 0.5),
        "mirrored-oblique" => Mirror(Rotation(new Vector3D(-2, 1, 0.5), 2.2)),
        _ => throw new ArgumentOutOfRangeException(nameof(orientation), orientation, "Unknown test orientation."),
    };

    public static VolumeGeometry Geometry(string orientation) =>
        new(new GridSize(7, 5, 4), new Vector3D(-123.4, 87.6, 45.25), new Vector3D(0.7, 0.9, 2.5), Direction(orientation));

    /// <summary>Distinct values that fit <paramref name="type"/> and use its range (negative, beyond the narrower types).</summary>
    public static float[] Pattern(NiftiDataType type, long count)
    {
        var values = new float[count];
        for (long n = 0; n < count; n++)
        {
            values[n] = type switch
            {
                NiftiDataType.UInt8 => (n * 37) % 256,
                NiftiDataType.Int16 => (n * 1237 % 65536) - 32768,
                NiftiDataType.UInt16 => n * 1931 % 65536,
                NiftiDataType.Int32 => (n * 98_765 % 20_000_000) - 3_000_000, // beyond 16 bits, exact in float
                _ => (float)((n * 0.37) - 10.0 + (n % 3 == 0 ? 1e-3 : 0)),
            };
        }

        return values;
    }

    /// <summary>The rotation by <paramref name="angle"/> radians about <paramref name="axis"/> (Rodrigues' formula).</summary>
    public static Direction3D Rotation(Vector3D axis, double angle)
    {
        var u = axis.Normalized();
        Vector3D Rotate(Vector3D v) =>
            (v * Math.Cos(angle)) + (u.Cross(v) * Math.Sin(angle)) + (u * (u.Dot(v) * (1 - Math.Cos(angle))));
        return new Direction3D(Rotate(new(1, 0, 0)), Rotate(new(0, 1, 0)), Rotate(new(0, 0, 1)));
    }

    private static Direction3D Mirror(Direction3D d) => new(d.IAxis, d.JAxis, -d.KAxis);
}
