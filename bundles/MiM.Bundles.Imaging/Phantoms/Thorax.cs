namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// The chest cavity's contents above the diaphragm: the heart resting on the left dome, a mediastinal
/// band of soft tissue in front of the spine, and the lungs filling the rest, split at the midline.
/// </summary>
internal sealed class Thorax
{
    private readonly double mediastinumHalfWidth;

    /// <summary>Draws case <paramref name="seed"/>'s thorax on <paramref name="frame"/>, inside <paramref name="body"/>.</summary>
    public Thorax(int seed, PhantomFrame frame, BodyOutline body)
    {
        var rng = SplitMix64.ForStream(seed, PhantomStream.Thorax);
        Diaphragm = new Diaphragm(rng, body);
        var a = body.CavityHalfWidth;
        var b = body.CavityHalfDepth;
        Heart = new OrganShape(
            frame,
            (a * rng.Uniform(0.05, 0.2), -b * rng.Uniform(0.25, 0.4), Diaphragm.LeftDomeZ + rng.Uniform(40, 55)),
            (rng.Uniform(48, 60), rng.Uniform(38, 48), rng.Uniform(45, 58)),
            Orientation.FromAngles(rng.Uniform(0.3, 0.6), rng.Symmetric(0.2), rng.Symmetric(0.2)),
            displacement: new DisplacementField(rng, frame, 5, 60, 150));
        mediastinumHalfWidth = rng.Uniform(12, 22);
    }

    /// <summary>The diaphragm.</summary>
    public Diaphragm Diaphragm { get; }

    /// <summary>The heart (blood pool and myocardium together).</summary>
    public OrganShape Heart { get; }

    /// <summary>
    /// What fills the chest cavity at voxel (i, j, k), at (x, y), above the diaphragm; the lung label
    /// follows the side of the midline (patient's right is negative x).
    /// </summary>
    public Tissue Classify(int i, int j, int k, double x, double y, VertebraSlice v, out ushort label)
    {
        label = 0;
        if (Heart.Evaluate(i, j, k) <= 1)
        {
            return Tissue.Heart;
        }

        if (Math.Abs(x - v.X) < mediastinumHalfWidth && y < v.Y)
        {
            return Tissue.VisceralFat;
        }

        label = x < v.X ? PhantomLabels.LungRight : PhantomLabels.LungLeft;
        return Tissue.Lung;
    }
}
