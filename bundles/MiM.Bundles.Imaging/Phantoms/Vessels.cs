namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// The great vessels as tubes along z: the descending aorta (left-posterior beside the spine in the thorax,
/// moving in front of the vertebral bodies, left of the midline, below the hiatus; tapering; dividing into
/// the common iliac arteries low in the abdomen) and the inferior vena cava, right of the midline.
/// </summary>
internal sealed class Vessels
{
    private readonly double aortaRadius;
    private readonly double abdominalOffsetX;
    private readonly double gap;
    private readonly double wiggle, wiggleWavelength, wigglePhase;
    private readonly double ivcOffsetX, ivcRadiusX, ivcRadiusY;

    /// <summary>Draws case <paramref name="seed"/>'s vessels.</summary>
    public Vessels(int seed)
    {
        var rng = SplitMix64.ForStream(seed, PhantomStream.Vessels);
        aortaRadius = rng.Uniform(9.5, 13.5);
        abdominalOffsetX = rng.Uniform(6, 16);
        gap = rng.Uniform(2, 6);
        wiggle = rng.Uniform(0, 4);
        wiggleWavelength = rng.Uniform(150, 350);
        wigglePhase = rng.Uniform(0, 2 * Math.PI);
        Bifurcation = rng.Uniform(-280, -225);
        IvcTop = rng.Uniform(5, 20);
        ivcOffsetX = rng.Uniform(15, 26);
        ivcRadiusX = rng.Uniform(11, 15);
        ivcRadiusY = rng.Uniform(7, 11);
    }

    /// <summary>Height at which the aorta divides; below it only the iliac arteries remain.</summary>
    public double Bifurcation { get; }

    /// <summary>Height at which the inferior vena cava enters the heart.</summary>
    public double IvcTop { get; }

    /// <summary>The vessels in slice z around vertebra <paramref name="v"/>.</summary>
    public VesselSlice At(double z, VertebraSlice v)
    {
        var radius = aortaRadius * (1 - (0.15 * Math.Clamp(-z / 250, 0, 1)));
        var abdominal = BodyOutline.SmoothStep(30, -30, z);
        var thoracicX = v.X + v.HalfWidth + (0.6 * radius);
        var thoracicY = v.Y - (0.2 * v.HalfDepth);
        var abdominalY = v.Y - v.HalfDepth - radius - gap;
        var x = thoracicX + ((v.X + abdominalOffsetX - thoracicX) * abdominal)
            + (wiggle * Math.Sin((2 * Math.PI * z / wiggleWavelength) + wigglePhase));
        var y = thoracicY + ((abdominalY - thoracicY) * abdominal);

        // Below the bifurcation the iliac arteries part by about half a millimetre per millimetre.
        var spread = z < Bifurcation ? 0.5 * (Bifurcation - z) : 0;
        var ivc = z < IvcTop;
        return new VesselSlice(
            x, y, radius, z >= Bifurcation, spread, 0.65 * radius,
            ivc, v.X - ivcOffsetX, v.Y - v.HalfDepth - ivcRadiusY - gap, ivcRadiusX, ivcRadiusY);
    }
}
