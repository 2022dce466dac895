namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// The body's outer contour and wall along z: an ellipse whose half-axes drift with z (thorax at the top,
/// widening at the pelvis), roughened by low-order harmonics of the angle and flattened posteriorly where
/// the patient lies on the table; plus the thickness of skin, subcutaneous fat and muscle wall.
/// </summary>
internal sealed class BodyOutline
{
    private readonly double halfWidth;
    private readonly double halfDepth;
    private readonly double widthWave, widthWavelength, widthPhase;
    private readonly double depthWave, depthWavelength, depthPhase;
    private readonly double pelvisTop;
    private readonly double[] harmonicBase = new double[6];
    private readonly double[] harmonicWave = new double[6];
    private readonly double[] harmonicPhase = new double[6];
    private readonly double harmonicWavelength;

    /// <summary>Draws case <paramref name="seed"/>'s outline for the body size the frame chose.</summary>
    public BodyOutline(int seed, PhantomFrame frame)
    {
        var rng = SplitMix64.ForStream(seed, PhantomStream.Body);
        halfWidth = frame.BodyHalfWidth;
        halfDepth = frame.BodyHalfDepth;
        widthWave = rng.Uniform(0, 0.02);
        widthWavelength = rng.Uniform(250, 500);
        widthPhase = rng.Uniform(0, 2 * Math.PI);
        depthWave = rng.Uniform(0, 0.04);
        depthWavelength = rng.Uniform(250, 500);
        depthPhase = rng.Uniform(0, 2 * Math.PI);
        pelvisTop = rng.Uniform(-230, -180);
        for (var n = 0; n < 6; n++)
        {
            harmonicBase[n] = rng.Symmetric(0.008);
            harmonicWave[n] = rng.Symmetric(0.005);
            harmonicPhase[n] = rng.Uniform(0, 2 * Math.PI);
        }

        harmonicWavelength = rng.Uniform(150, 400);
        PosteriorFlattening = rng.Uniform(0.03, 0.10);
        Skin = rng.Uniform(1.5, 2.5);
        SubcutaneousFat = halfWidth * rng.Uniform(0.04, 0.14);
        MuscleWall = rng.Uniform(8, 14);
        CavityHalfWidth = halfWidth - Skin - (1.15 * SubcutaneousFat) - MuscleWall;
        CavityHalfDepth = halfDepth - Skin - (1.3 * SubcutaneousFat) - MuscleWall;
    }

    /// <summary>Mean half-width of the body cavity inside the wall (mm): what organs are sized and placed by.</summary>
    public double CavityHalfWidth { get; }

    /// <summary>Mean half-depth of the body cavity inside the wall (mm).</summary>
    public double CavityHalfDepth { get; }

    /// <summary>Skin thickness (mm).</summary>
    public double Skin { get; }

    /// <summary>Mean subcutaneous fat thickness of this patient (mm).</summary>
    public double SubcutaneousFat { get; }

    /// <summary>Abdominal wall muscle thickness (mm).</summary>
    public double MuscleWall { get; }

    /// <summary>How much flatter the back is than the belly.</summary>
    public double PosteriorFlattening { get; }

    /// <summary>The cross-section at height <paramref name="z"/>.</summary>
    public BodyCrossSection At(double z)
    {
        // The pelvis flares below its top; the upper thorax narrows a little.
        var pelvis = 0.04 * SmoothStep(pelvisTop, pelvisTop - 60, z);
        var thorax = -0.04 * SmoothStep(60, 200, z);
        var a = halfWidth * (1 + (widthWave * Math.Sin((2 * Math.PI * z / widthWavelength) + widthPhase)) + pelvis + thorax);
        var b = halfDepth * (1 + (depthWave * Math.Sin((2 * Math.PI * z / depthWavelength) + depthPhase)));
        var h = new double[6];
        for (var n = 0; n < 6; n++)
        {
            h[n] = harmonicBase[n] + (harmonicWave[n] * Math.Sin((2 * Math.PI * z / harmonicWavelength) + harmonicPhase[n]));
        }

        // Less fat over the ribs than over the belly.
        var fat = SubcutaneousFat * (z > 0 ? 0.75 : 1.0);
        return new BodyCrossSection(a, b, h, PosteriorFlattening, Skin, fat, MuscleWall);
    }

    /// <summary>0 below <paramref name="edge0"/>, 1 above <paramref name="edge1"/> (either order), smooth between.</summary>
    public static double SmoothStep(double edge0, double edge1, double x)
    {
        var t = Math.Clamp((x - edge0) / (edge1 - edge0), 0, 1);
        return t * t * (3 - (2 * t));
    }
}
