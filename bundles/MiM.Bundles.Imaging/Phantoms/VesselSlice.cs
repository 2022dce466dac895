namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>The great vessels in one axial slice (anatomy-frame mm).</summary>
/// <param name="AortaX">Aortic centre (or, below the bifurcation, the midpoint between the iliac arteries), x.</param>
/// <param name="AortaY">Aortic centre, y.</param>
/// <param name="AortaRadius">Aortic radius.</param>
/// <param name="HasAorta">False below the bifurcation.</param>
/// <param name="IliacSpread">Half the distance between the iliac arteries' centres.</param>
/// <param name="IliacRadius">Radius of each iliac artery.</param>
/// <param name="HasIvc">False above the heart.</param>
/// <param name="IvcX">Inferior vena cava centre, x.</param>
/// <param name="IvcY">Inferior vena cava centre, y.</param>
/// <param name="IvcRadiusX">IVC half-width (it is flattened).</param>
/// <param name="IvcRadiusY">IVC half-depth.</param>
internal sealed record VesselSlice(
    double AortaX,
    double AortaY,
    double AortaRadius,
    bool HasAorta,
    double IliacSpread,
    double IliacRadius,
    bool HasIvc,
    double IvcX,
    double IvcY,
    double IvcRadiusX,
    double IvcRadiusY)
{
    /// <summary>True inside the aorta.</summary>
    public bool InAorta(double x, double y) =>
        HasAorta && Square(x - AortaX) + Square(y - AortaY) <= AortaRadius * AortaRadius;

    /// <summary>True inside either common iliac artery.</summary>
    public bool InIliac(double x, double y) =>
        !HasAorta && Square(Math.Abs(x - AortaX) - IliacSpread) + Square(y - AortaY) <= IliacRadius * IliacRadius;

    /// <summary>True inside the inferior vena cava.</summary>
    public bool InIvc(double x, double y) =>
        HasIvc && Square((x - IvcX) / IvcRadiusX) + Square((y - IvcY) / IvcRadiusY) <= 1;

    private static double Square(double value) => value * value;
}
