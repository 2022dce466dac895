namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// Ribs: bone arcs that leave the spine at each thoracic vertebra, follow the inside of the body wall
/// around the thorax and upper abdomen, and slope downwards towards the front. The lowest ribs are short
/// (floating ribs). Each rib is an elliptical cross-section swept along its arc.
/// </summary>
internal sealed class RibCage
{
    private const double HalfHeight = 6;
    private const double HalfThickness = 4;
    private readonly Rib[] ribs;
    private readonly double start;
    private readonly double wallFraction;
    private readonly double posteriorDepth;

    /// <summary>Draws case <paramref name="seed"/>'s ribs, one per vertebra of <paramref name="spine"/> from the lowest rib up.</summary>
    public RibCage(int seed, Spine spine, double topZ)
    {
        var rng = SplitMix64.ForStream(seed, PhantomStream.Ribs);
        start = rng.Uniform(0.11, 0.17) * Math.PI;
        wallFraction = rng.Uniform(0.35, 0.6);
        posteriorDepth = rng.Uniform(18, 32);
        var lowest = rng.Uniform(-95, -60);

        // Ribs leave the column at mid-vertebra height.
        var firstPhase = spine.PhaseOrigin + (spine.Disc / 2) + (spine.Period / 2);
        var z0 = firstPhase + (Math.Ceiling((lowest - firstPhase) / spine.Period) * spine.Period);
        var list = new List<Rib>();
        for (var m = 0; z0 + (m * spine.Period) < topZ + 20; m++)
        {
            var reach = m switch
            {
                0 => rng.Uniform(0.42, 0.58),
                1 => rng.Uniform(0.58, 0.70),
                _ => rng.Uniform(0.74, 0.86),
            };
            list.Add(new Rib(z0 + (m * spine.Period) + rng.Symmetric(2), reach * Math.PI, rng.Uniform(70, 110)));
        }

        ribs = [.. list];
        Bottom = ribs.Length == 0 ? double.PositiveInfinity : ribs.Min(r => r.SpineZ - r.Drop) - HalfHeight;
    }

    /// <summary>No rib reaches below this z.</summary>
    public double Bottom { get; }

    /// <summary>The deepest a rib lies below the skin plus a margin, for a cheap early exit.</summary>
    public double MaxDepth(BodyCrossSection body) => body.Skin + (body.Fat * 1.7) + body.Muscle + posteriorDepth + HalfThickness;

    /// <summary>True when the point at height z, depth below the skin and direction (cos θ, sin θ) is inside a rib.</summary>
    public bool Contains(double z, double depth, double cos, double sin, BodyCrossSection body)
    {
        if (z < Bottom)
        {
            return false;
        }

        // Angle from the posterior midline: 0 at the spine, π at the sternum.
        var phi = Math.Acos(Math.Clamp(sin, -1, 1));
        if (phi < start)
        {
            return false;
        }

        var t = phi / Math.PI;
        var near = Math.Max(0, 1 - ((phi - start) / 0.5));

        // Near the spine the ribs dive under the paraspinal muscles to reach the transverse processes.
        var centreDepth = body.Skin + body.FatAt(cos, sin) + (body.Muscle * wallFraction) + (posteriorDepth * near * near);
        var dd = (depth - centreDepth) / HalfThickness;
        if (dd * dd > 1)
        {
            return false;
        }

        foreach (var rib in ribs)
        {
            if (phi > rib.Reach)
            {
                continue;
            }

            var dz = (z - (rib.SpineZ - (rib.Drop * t * t))) / HalfHeight;
            if ((dz * dz) + (dd * dd) <= 1)
            {
                return true;
            }
        }

        return false;
    }

    private readonly record struct Rib(double SpineZ, double Reach, double Drop);
}
