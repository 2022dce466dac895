namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// A deformed superellipsoid: the implicit shape of one organ or organ part. A point is inside when
/// <see cref="Evaluate"/> is at most 1. The point is first moved by a random displacement field, then
/// rotated into the shape's own axes (u, v, w), bent (u shifts with w², making beans and crescents) and
/// tapered (v and w shrink along u, making wedges).
/// </summary>
internal sealed class OrganShape
{
    private readonly PhantomFrame frame;
    private readonly DisplacementField? displacement;
    private readonly double cx, cy, cz;
    private readonly double[] axes;
    private readonly double invU, invV, invW;
    private readonly double exponent;
    private readonly double taper;
    private readonly double bend;

    /// <summary>Builds the shape and its voxel bounding box.</summary>
    /// <param name="frame">The grid the shape is evaluated on.</param>
    /// <param name="center">Centre in the anatomy frame (mm).</param>
    /// <param name="semiAxes">Semi-axes along u, v, w (mm).</param>
    /// <param name="orientation">The shape's axes in the anatomy frame.</param>
    /// <param name="exponent">Superellipsoid exponent: 2 is an ellipsoid, larger is boxier.</param>
    /// <param name="taper">Relative shrink of v and w per unit u (0 for none).</param>
    /// <param name="bend">Shift of u per unit w² (0 for none).</param>
    /// <param name="displacement">Random deformation, or null.</param>
    public OrganShape(
        PhantomFrame frame,
        (double X, double Y, double Z) center,
        (double U, double V, double W) semiAxes,
        Orientation orientation,
        double exponent = 2,
        double taper = 0,
        double bend = 0,
        DisplacementField? displacement = null)
    {
        this.frame = frame;
        this.displacement = displacement;
        (cx, cy, cz) = center;
        axes = orientation.Rows;
        invU = 1 / semiAxes.U;
        invV = 1 / semiAxes.V;
        invW = 1 / semiAxes.W;
        this.exponent = exponent;
        this.taper = taper;
        this.bend = bend;
        Center = center;

        // Generous: the tapered, bent shape stays within the largest semi-axis grown by taper and bend.
        var reach = (Math.Max(semiAxes.U, Math.Max(semiAxes.V, semiAxes.W)) * (1 + Math.Abs(taper)) * (1 + Math.Abs(bend)))
            + (displacement?.MaxDisplacement ?? 0) + 1;
        (FirstI, LastI) = PhantomFrame.IndexRange(frame.X, cx - reach, cx + reach);
        (FirstJ, LastJ) = PhantomFrame.IndexRange(frame.Y, cy - reach, cy + reach);
        (FirstK, LastK) = PhantomFrame.IndexRange(frame.Z, cz - reach, cz + reach);
    }

    /// <summary>The centre in the anatomy frame.</summary>
    public (double X, double Y, double Z) Center { get; }

    /// <summary>First column of the bounding box.</summary>
    public int FirstI { get; }

    /// <summary>Last column of the bounding box.</summary>
    public int LastI { get; }

    /// <summary>First row of the bounding box.</summary>
    public int FirstJ { get; }

    /// <summary>Last row of the bounding box.</summary>
    public int LastJ { get; }

    /// <summary>First slice of the bounding box.</summary>
    public int FirstK { get; }

    /// <summary>Last slice of the bounding box.</summary>
    public int LastK { get; }

    /// <summary>True when slice <paramref name="k"/> meets the bounding box.</summary>
    public bool CoversSlice(int k) => k >= FirstK && k <= LastK;

    /// <summary>The implicit function at voxel (i, j, k): at most 1 inside; +∞ outside the bounding box.</summary>
    public double Evaluate(int i, int j, int k)
    {
        if (i < FirstI || i > LastI || j < FirstJ || j > LastJ || k < FirstK || k > LastK)
        {
            return double.PositiveInfinity;
        }

        var px = frame.X[i] - cx;
        var py = frame.Y[j] - cy;
        var pz = frame.Z[k] - cz;
        if (displacement is not null)
        {
            var (dx, dy, dz) = displacement.At(i, j, k);
            px += dx;
            py += dy;
            pz += dz;
        }

        var u = ((axes[0] * px) + (axes[1] * py) + (axes[2] * pz)) * invU;
        var v = ((axes[3] * px) + (axes[4] * py) + (axes[5] * pz)) * invV;
        var w = ((axes[6] * px) + (axes[7] * py) + (axes[8] * pz)) * invW;
        u += bend * w * w;
        var scale = Math.Max(0.2, 1 + (taper * u));
        v /= scale;
        w /= scale;
        if (exponent == 2)
        {
            return (u * u) + (v * v) + (w * w);
        }

        return Math.Pow(Math.Abs(u), exponent) + Math.Pow(Math.Abs(v), exponent) + Math.Pow(Math.Abs(w), exponent);
    }
}
