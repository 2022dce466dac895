namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// The labelled solid organs below the diaphragm, placed in anatomical relation to the body and spine
/// and listed in priority order (an earlier organ wins a voxel both claim): kidneys, spleen, liver.
/// </summary>
internal sealed class AbdominalOrgans
{
    /// <summary>Draws case <paramref name="seed"/>'s organs.</summary>
    public AbdominalOrgans(int seed, PhantomFrame frame, BodyOutline body, Spine spine, Diaphragm diaphragm)
    {
        Shapes = [.. Kidneys(seed, frame, body, spine), Spleen(seed, frame, body, diaphragm), .. Liver(seed, frame, body, diaphragm)];
    }

    /// <summary>The organ shapes in priority order.</summary>
    public IReadOnlyList<LabelledShape> Shapes { get; }

    private static LabelledShape[] Kidneys(int seed, PhantomFrame frame, BodyOutline body, Spine spine)
    {
        var rng = SplitMix64.ForStream(seed, PhantomStream.Kidneys);
        var leftZ = rng.Uniform(-125, -95);
        var rightZ = leftZ - rng.Uniform(8, 25);
        return [Kidney(rng, frame, body, spine, rightZ, right: true), Kidney(rng, frame, body, spine, leftZ, right: false)];
    }

    private static LabelledShape Kidney(SplitMix64 rng, PhantomFrame frame, BodyOutline body, Spine spine, double z, bool right)
    {
        var v = spine.At(z, body.At(z));
        var side = right ? -1 : 1;
        var centre = (v.X + (side * (v.HalfWidth + rng.Uniform(35, 50))), v.Y + rng.Symmetric(6), z);

        // u lateral, v posterior, w superior; the hilum faces antero-medially, the upper pole tilts medially
        // and posteriorly, and bending makes the medial border concave.
        var shape = new OrganShape(
            frame,
            centre,
            (rng.Uniform(25, 32), rng.Uniform(18, 24), rng.Uniform(50, 62)),
            Orientation.FromAngles(rng.Uniform(0.35, 0.7), -rng.Uniform(0.12, 0.3), -rng.Uniform(0.1, 0.3), mirrorX: right),
            exponent: 2,
            bend: rng.Uniform(0.2, 0.35),
            displacement: new DisplacementField(rng, frame, 4, 40, 100));
        return new LabelledShape(shape, Tissue.Kidney, right ? PhantomLabels.KidneyRight : PhantomLabels.KidneyLeft);
    }

    private static LabelledShape Spleen(int seed, PhantomFrame frame, BodyOutline body, Diaphragm diaphragm)
    {
        var rng = SplitMix64.ForStream(seed, PhantomStream.Spleen);
        var a = body.CavityHalfWidth;
        var b = body.CavityHalfDepth;
        var cx = a * rng.Uniform(0.55, 0.68);
        var cy = b * rng.Uniform(0.3, 0.5);
        var semi = (rng.Uniform(20, 28), rng.Uniform(48, 65), rng.Uniform(40, 58));

        // Tucked under the left dome; thin axis u along the outward normal of the posterolateral wall,
        // and bending hollows the visceral side.
        var z = diaphragm.SurfaceZ(cx, cy) - diaphragm.Thickness - (semi.Item3 * rng.Uniform(0.75, 0.95));
        var shape = new OrganShape(
            frame,
            (cx, cy, z),
            semi,
            Orientation.FromAngles(Math.Atan2(cy * a / b, cx) + rng.Symmetric(0.25), rng.Symmetric(0.2), rng.Symmetric(0.2)),
            exponent: rng.Uniform(2, 2.4),
            bend: rng.Uniform(0.2, 0.45),
            displacement: new DisplacementField(rng, frame, 5, 50, 120));
        return new LabelledShape(shape, Tissue.Spleen, PhantomLabels.Spleen);
    }

    private static LabelledShape[] Liver(int seed, PhantomFrame frame, BodyOutline body, Diaphragm diaphragm)
    {
        var rng = SplitMix64.ForStream(seed, PhantomStream.Liver);
        var a = body.CavityHalfWidth;
        var b = body.CavityHalfDepth;
        var scale = rng.Uniform(0.92, 1.1);

        // The right lobe fills the right upper quadrant up into the dome, thinning towards the midline. Its
        // size is absolute, not relative to the body: a smaller cavity squeezes it rather than shrinking it.
        var cx = -a * rng.Uniform(0.40, 0.50);
        var cy = -b * rng.Uniform(0.05, 0.2);
        var semi = (rng.Uniform(65, 80) * scale, rng.Uniform(68, 82) * scale, rng.Uniform(75, 92) * scale);
        var rightLobe = new OrganShape(
            frame,
            (cx, cy, diaphragm.SurfaceZ(cx, cy) - (semi.Item3 * rng.Uniform(0.7, 0.85))),
            semi,
            Orientation.FromAngles(rng.Symmetric(0.2), rng.Symmetric(0.15), rng.Symmetric(0.15)),
            exponent: rng.Uniform(2, 2.6),
            taper: -rng.Uniform(0.15, 0.35),
            bend: rng.Symmetric(0.15),
            displacement: new DisplacementField(rng, frame, rng.Uniform(6, 12), 60, 160));

        // The left lobe is a flat wedge across the midline in front of the stomach.
        var leftLobe = new OrganShape(
            frame,
            (a * rng.Uniform(-0.05, 0.12), -b * rng.Uniform(0.45, 0.6), diaphragm.SurfaceZ(0, -b / 2) - rng.Uniform(30, 45)),
            (a * rng.Uniform(0.38, 0.48) * scale, b * rng.Uniform(0.28, 0.36) * scale, rng.Uniform(35, 50) * scale),
            Orientation.FromAngles(rng.Symmetric(0.2), rng.Symmetric(0.15), rng.Symmetric(0.15)),
            taper: -rng.Uniform(0.3, 0.5),
            displacement: new DisplacementField(rng, frame, 5, 50, 120));
        return [new(rightLobe, Tissue.Liver, PhantomLabels.Liver), new(leftLobe, Tissue.Liver, PhantomLabels.Liver)];
    }
}
