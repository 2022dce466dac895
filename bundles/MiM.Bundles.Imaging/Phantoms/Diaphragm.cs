namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// The diaphragm as two paraboloid domes, the right one higher (it sits on the liver), sloping down
/// posteriorly into the costophrenic recesses. Lungs lie above it, abdominal organs below.
/// </summary>
internal sealed class Diaphragm
{
    private readonly double rightX, leftX, leftZ;
    private readonly double curvatureX, curvatureY;
    private readonly double posteriorSlope, halfDepth;

    /// <summary>Draws a diaphragm from <paramref name="rng"/> spanning the cavity of <paramref name="body"/>.</summary>
    public Diaphragm(SplitMix64 rng, BodyOutline body)
    {
        rightX = -body.CavityHalfWidth * rng.Uniform(0.42, 0.55);
        leftX = body.CavityHalfWidth * rng.Uniform(0.42, 0.55);
        leftZ = -rng.Uniform(5, 22);
        curvatureX = rng.Uniform(90, 150);
        curvatureY = rng.Uniform(120, 200);
        posteriorSlope = rng.Uniform(15, 40);
        halfDepth = body.CavityHalfDepth;
        Thickness = rng.Uniform(3, 5);
    }

    /// <summary>Muscle thickness under the lung base (mm).</summary>
    public double Thickness { get; }

    /// <summary>Height of the left dome's top.</summary>
    public double LeftDomeZ => leftZ;

    /// <summary>Height of the diaphragm's upper surface above (x, y).</summary>
    public double SurfaceZ(double x, double y)
    {
        var yy = y * y / (2 * curvatureY);
        var right = -(((x - rightX) * (x - rightX) / (2 * curvatureX)) + yy);
        var left = leftZ - (((x - leftX) * (x - leftX) / (2 * curvatureX)) + yy);
        return Math.Max(right, left) - (posteriorSlope * Math.Clamp(y / halfDepth, 0, 1));
    }
}
