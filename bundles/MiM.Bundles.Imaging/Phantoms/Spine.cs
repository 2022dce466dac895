namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// The vertebral column along the posterior midline: elliptical vertebral bodies with a cortical rim and
/// endplates, intervertebral discs, and posterior elements (neural arch, spinous and transverse processes)
/// around the spinal canal. Vertebrae grow towards the pelvis; the column sways gently (scoliosis, lordosis).
/// </summary>
internal sealed class Spine
{
    private const double Cortex = 1.5;
    private readonly double halfWidth, halfDepth;
    private readonly double canalRadius;
    private readonly double spinousLength, transverseLength;
    private readonly double backMargin;
    private readonly double swayX, swayWavelength, swayPhase;
    private readonly double lordosis, lordosisWavelength, lordosisPhase;
    private readonly double phaseOrigin;

    /// <summary>Draws case <paramref name="seed"/>'s column.</summary>
    public Spine(int seed)
    {
        var rng = SplitMix64.ForStream(seed, PhantomStream.Spine);
        halfWidth = rng.Uniform(19, 24);
        halfDepth = rng.Uniform(14, 18);
        canalRadius = rng.Uniform(7, 9);
        spinousLength = rng.Uniform(22, 32);
        transverseLength = rng.Uniform(18, 28);
        backMargin = rng.Uniform(8, 16);
        swayX = rng.Symmetric(5);
        swayWavelength = rng.Uniform(300, 600);
        swayPhase = rng.Uniform(0, 2 * Math.PI);
        lordosis = rng.Uniform(0, 8);
        lordosisWavelength = rng.Uniform(400, 700);
        lordosisPhase = rng.Uniform(0, 2 * Math.PI);
        Period = rng.Uniform(28, 34);
        Disc = rng.Uniform(7, 10);
        phaseOrigin = rng.Uniform(0, Period);
    }

    /// <summary>Height of one vertebra plus its disc (mm).</summary>
    public double Period { get; }

    /// <summary>Disc height (mm).</summary>
    public double Disc { get; }

    /// <summary>A z at which a disc starts; discs repeat every <see cref="Period"/>.</summary>
    public double PhaseOrigin => phaseOrigin;

    /// <summary>The column's cross-section at height <paramref name="z"/> inside <paramref name="body"/>.</summary>
    public VertebraSlice At(double z, BodyCrossSection body)
    {
        // Lumbar vertebrae are larger than thoracic ones.
        var scale = Math.Clamp(1 + (0.0012 * -z), 0.85, 1.3);
        var wx = halfWidth * scale;
        var wy = halfDepth * scale;
        var rc = canalRadius;
        var spinous = spinousLength * scale;

        // Hang the column from the back so that the spinous tips sit just under the posterior fat.
        var back = body.BoundaryRadius(0, 1) - body.Skin - body.FatAt(0, 1) - backMargin;
        var canalY = back - spinous - rc - 3;
        // The curvature only ever moves the column forwards, so the spinous tips stay under the skin.
        var curve = 0.5 * lordosis * (1 + Math.Sin((2 * Math.PI * z / lordosisWavelength) + lordosisPhase));
        var centreY = canalY - rc - 2 - wy - curve;
        canalY = centreY + wy + 2 + rc;
        var centreX = swayX * Math.Sin((2 * Math.PI * z / swayWavelength) + swayPhase);

        var phase = (((z - phaseOrigin) % Period) + Period) % Period;
        var inDisc = phase < Disc;
        var endplate = inDisc ? 0 : Math.Min(phase - Disc, Period - phase);
        return new VertebraSlice(centreX, centreY, wx, wy, canalY, rc, spinous, transverseLength * scale, inDisc, endplate, phase >= Disc * 0.5);
    }

    /// <summary>What the column puts at (x, y), if anything; <paramref name="labelled"/> is false for the canal.</summary>
    public static bool TryClassify(double x, double y, VertebraSlice v, out Tissue tissue, out bool labelled)
    {
        var dx = x - v.X;
        labelled = true;
        var bodyR2 = ((dx / v.HalfWidth) * (dx / v.HalfWidth)) + (((y - v.Y) / v.HalfDepth) * ((y - v.Y) / v.HalfDepth));
        if (bodyR2 <= 1)
        {
            if (v.InDisc)
            {
                tissue = Tissue.IntervertebralDisc;
                return true;
            }

            var rim = (1 - Math.Sqrt(bodyR2)) * Math.Min(v.HalfWidth, v.HalfDepth);
            tissue = rim < Cortex || v.EndplateDistance < Cortex ? Tissue.CorticalBone : Tissue.CancellousBone;
            return true;
        }

        var dy = y - v.CanalY;
        var rc2 = (dx * dx) + (dy * dy);
        if (rc2 < v.CanalRadius * v.CanalRadius)
        {
            tissue = Tissue.SpinalCanal;
            labelled = false;
            return true;
        }

        if (v.HasPosteriorElements)
        {
            var arch = v.CanalRadius + 5;
            var isArch = rc2 < arch * arch && dy > -v.CanalRadius * 0.6;
            var isSpinous = Math.Abs(dx) < 3.5 && dy > 0 && dy < v.CanalRadius + 3 + v.SpinousLength;
            var isTransverse = Math.Abs(dy + 1) < 4.5 && Math.Abs(dx) < v.CanalRadius + 3 + v.TransverseLength;
            if (isArch || isSpinous || isTransverse)
            {
                tissue = Tissue.PosteriorElementBone;
                return true;
            }
        }

        tissue = Tissue.Air;
        labelled = false;
        return false;
    }
}
