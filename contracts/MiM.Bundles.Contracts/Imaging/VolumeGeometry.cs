namespace MiM.Bundles.Contracts.Imaging;

/// <summary>
/// Where a voxel grid lies in the patient: DICOM patient coordinates (LPS, millimetres).
/// Voxel (i, j, k) has its centre at <c>Origin + Direction · (i·Spacing.X, j·Spacing.Y, k·Spacing.Z)</c>.
/// </summary>
/// <param name="Size">Voxel counts along i, j, k.</param>
/// <param name="Origin">Centre of voxel (0, 0, 0) in LPS millimetres (DICOM's Image Position of the first slice).</param>
/// <param name="Spacing">Distance between voxel centres along i, j, k in millimetres; all positive.</param>
/// <param name="Direction">Unit vectors of the i, j and k axes in LPS.</param>
/// <param name="FrameOfReferenceUid">DICOM Frame of Reference UID, or null where the source had none (NIfTI).</param>
public sealed record VolumeGeometry(
    GridSize Size,
    Vector3D Origin,
    Vector3D Spacing,
    Direction3D Direction,
    string? FrameOfReferenceUid = null)
{
    /// <summary>Throws when the geometry cannot describe a real grid.</summary>
    /// <exception cref="ArgumentException">A size or spacing is not positive, or the axes are not orthonormal.</exception>
    public void Validate()
    {
        if (Size.I <= 0 || Size.J <= 0 || Size.K <= 0)
        {
            throw new ArgumentException($"Grid size must be positive along every axis, was {Size}.");
        }

        if (!(Spacing.X > 0 && Spacing.Y > 0 && Spacing.Z > 0))
        {
            throw new ArgumentException($"Spacing must be positive along every axis, was {Spacing}.");
        }

        if (!Direction.IsOrthonormal())
        {
            throw new ArgumentException($"Direction cosines must be orthonormal, were {Direction}.");
        }
    }

    /// <summary>The LPS position of a (possibly fractional) voxel index.</summary>
    public Vector3D IndexToPhysical(double i, double j, double k) =>
        Origin + Direction.Apply(new Vector3D(i * Spacing.X, j * Spacing.Y, k * Spacing.Z));

    /// <summary>The (fractional) voxel index of an LPS position.</summary>
    public Vector3D PhysicalToIndex(Vector3D point)
    {
        var local = Direction.ApplyInverse(point - Origin);
        return new Vector3D(local.X / Spacing.X, local.Y / Spacing.Y, local.Z / Spacing.Z);
    }

    /// <summary>True when both geometries describe the same grid within <paramref name="toleranceMm"/>.</summary>
    public bool IsSameGrid(VolumeGeometry other, double toleranceMm = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Size != other.Size)
        {
            return false;
        }

        // Comparing the far corner as well as the origin catches spacing and direction differences in mm.
        var far = IndexToPhysical(Size.I - 1, Size.J - 1, Size.K - 1);
        var otherFar = other.IndexToPhysical(Size.I - 1, Size.J - 1, Size.K - 1);
        return (Origin - other.Origin).Length < toleranceMm
            && (far - otherFar).Length < toleranceMm
            && (Spacing - other.Spacing).Length < toleranceMm
            && (Direction.IAxis - other.Direction.IAxis).Length < 1e-4
            && (Direction.JAxis - other.Direction.JAxis).Length < 1e-4
            && (Direction.KAxis - other.Direction.KAxis).Length < 1e-4;
    }
}
