namespace MiM.Bundles.Contracts.Imaging;

/// <summary>A point or direction in DICOM patient coordinates (LPS, millimetres).</summary>
public readonly record struct Vector3D(double X, double Y, double Z)
{
    /// <summary>The vector's Euclidean length.</summary>
    public double Length => Math.Sqrt(Dot(this));

    /// <summary>The dot product with <paramref name="other"/>.</summary>
    public double Dot(Vector3D other) => (X * other.X) + (Y * other.Y) + (Z * other.Z);

    /// <summary>The cross product this × <paramref name="other"/>.</summary>
    public Vector3D Cross(Vector3D other) =>
        new((Y * other.Z) - (Z * other.Y), (Z * other.X) - (X * other.Z), (X * other.Y) - (Y * other.X));

    /// <summary>This vector scaled to unit length.</summary>
    public Vector3D Normalized()
    {
        var length = Length;
        if (length == 0)
        {
            throw new InvalidOperationException("A zero vector has no direction.");
        }

        return this / length;
    }

    /// <summary>The component with index 0 (X), 1 (Y) or 2 (Z).</summary>
    public double this[int axis] => axis switch
    {
        0 => X,
        1 => Y,
        2 => Z,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "Axis must be 0, 1 or 2."),
    };

    /// <summary>Component-wise sum.</summary>
    public static Vector3D operator +(Vector3D a, Vector3D b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    /// <summary>Component-wise difference.</summary>
    public static Vector3D operator -(Vector3D a, Vector3D b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    /// <summary>The vector pointing the other way.</summary>
    public static Vector3D operator -(Vector3D a) => new(-a.X, -a.Y, -a.Z);

    /// <summary>Scales by a scalar.</summary>
    public static Vector3D operator *(Vector3D a, double s) => new(a.X * s, a.Y * s, a.Z * s);

    /// <summary>Scales by a scalar.</summary>
    public static Vector3D operator *(double s, Vector3D a) => a * s;

    /// <summary>Divides by a scalar.</summary>
    public static Vector3D operator /(Vector3D a, double s) => new(a.X / s, a.Y / s, a.Z / s);

    /// <summary>Named alternative to the + operator.</summary>
    public static Vector3D Add(Vector3D left, Vector3D right) => left + right;

    /// <summary>Named alternative to the - operator.</summary>
    public static Vector3D Subtract(Vector3D left, Vector3D right) => left - right;

    /// <summary>Named alternative to the unary - operator.</summary>
    public static Vector3D Negate(Vector3D value) => -value;

    /// <summary>Named alternative to the * operator.</summary>
    public static Vector3D Multiply(Vector3D value, double scale) => value * scale;

    /// <summary>Named alternative to the / operator.</summary>
    public static Vector3D Divide(Vector3D value, double scale) => value / scale;
}
