namespace MiM.Bundles.Contracts.Imaging;

/// <summary>
/// The 3x3 direction cosines of a voxel grid: the unit vectors, in LPS patient coordinates, along which
/// the index axes i, j and k advance. Columns of the matrix, in DICOM's sense.
/// </summary>
public readonly record struct Direction3D(Vector3D IAxis, Vector3D JAxis, Vector3D KAxis)
{
    /// <summary>Axes aligned with L, P and S: the identity matrix.</summary>
    public static Direction3D Identity { get; } = new(new(1, 0, 0), new(0, 1, 0), new(0, 0, 1));

    /// <summary>The unit vector of axis 0 (i), 1 (j) or 2 (k).</summary>
    public Vector3D this[int axis] => axis switch
    {
        0 => IAxis,
        1 => JAxis,
        2 => KAxis,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "Axis must be 0, 1 or 2."),
    };

    /// <summary>The matrix entry at (row, column): component <paramref name="row"/> of axis <paramref name="column"/>.</summary>
    public double At(int row, int column) => this[column][row];

    /// <summary>Maps index-space offsets (already multiplied by spacing) to patient space.</summary>
    public Vector3D Apply(Vector3D v) => (IAxis * v.X) + (JAxis * v.Y) + (KAxis * v.Z);

    /// <summary>The inverse map, valid because the axes are orthonormal.</summary>
    public Vector3D ApplyInverse(Vector3D v) => new(IAxis.Dot(v), JAxis.Dot(v), KAxis.Dot(v));

    /// <summary>The determinant: +1 for a right-handed grid, -1 for a mirrored one.</summary>
    public double Determinant => IAxis.Dot(JAxis.Cross(KAxis));

    /// <summary>True when each axis has unit length and the axes are mutually perpendicular.</summary>
    public bool IsOrthonormal(double tolerance = 1e-4) =>
        Math.Abs(IAxis.Length - 1) < tolerance && Math.Abs(JAxis.Length - 1) < tolerance
        && Math.Abs(KAxis.Length - 1) < tolerance && Math.Abs(IAxis.Dot(JAxis)) < tolerance
        && Math.Abs(IAxis.Dot(KAxis)) < tolerance && Math.Abs(JAxis.Dot(KAxis)) < tolerance;
}
