namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// The body outline and wall layers in one axial slice. Depth is measured radially from the body axis,
/// which is close to the true distance below the skin for a near-elliptical outline and needs no search.
/// </summary>
internal sealed class BodyCrossSection
{
    private readonly double a;
    private readonly double b;
    private readonly double[] harmonics;
    private readonly double flattening;

    /// <summary>A cross-section with half-axes a (x) and b (y) and harmonic coefficients (cos 2θ, sin 2θ, … sin 4θ).</summary>
    public BodyCrossSection(double a, double b, double[] harmonics, double flattening, double skin, double fat, double muscle)
    {
        this.a = a;
        this.b = b;
        this.harmonics = harmonics;
        this.flattening = flattening;
        Skin = skin;
        Fat = fat;
        Muscle = muscle;
    }

    /// <summary>Skin thickness (mm).</summary>
    public double Skin { get; }

    /// <summary>Mean subcutaneous fat thickness in this slice (mm).</summary>
    public double Fat { get; }

    /// <summary>Muscle wall thickness (mm).</summary>
    public double Muscle { get; }

    /// <summary>The skin's distance from the axis along the direction (cos θ, sin θ); sin θ &gt; 0 is posterior.</summary>
    public double BoundaryRadius(double cos, double sin)
    {
        var ellipse = a * b / Math.Sqrt((b * cos * b * cos) + (a * sin * a * sin));
        var cos2 = (cos * cos) - (sin * sin);
        var sin2 = 2 * cos * sin;
        var cos3 = (cos * cos2) - (sin * sin2);
        var sin3 = (sin * cos2) + (cos * sin2);
        var cos4 = (cos2 * cos2) - (sin2 * sin2);
        var sin4 = 2 * sin2 * cos2;
        var roughness = 1 + (harmonics[0] * cos2) + (harmonics[1] * sin2) + (harmonics[2] * cos3)
            + (harmonics[3] * sin3) + (harmonics[4] * cos4) + (harmonics[5] * sin4);
        var back = sin > 0 ? sin * sin * sin * sin : 0;
        return ellipse * roughness * (1 - (flattening * back));
    }

    /// <summary>Depth below the skin (mm, negative outside) of (x, y), with the direction cosines from the axis.</summary>
    public double Depth(double x, double y, out double cos, out double sin)
    {
        var r = Math.Sqrt((x * x) + (y * y));
        if (r < 1e-9)
        {
            cos = 1;
            sin = 0;
        }
        else
        {
            cos = x / r;
            sin = y / r;
        }

        return BoundaryRadius(cos, sin) - r;
    }

    /// <summary>Subcutaneous fat thickness in direction θ: thickest over the belly, thinnest over the back.</summary>
    public double FatAt(double cos, double sin)
    {
        var anterior = sin < 0 ? -sin : 0;
        var posterior = sin > 0 ? sin : 0;
        return Fat * (1 + (0.5 * anterior) - (0.45 * posterior) + (0.15 * ((cos * cos) - (sin * sin))));
    }

    /// <summary>Depth at which the body cavity starts in direction θ: skin, fat and muscle wall together.</summary>
    public double WallDepth(double cos, double sin) => Skin + FatAt(cos, sin) + Muscle;
}
