namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// Unlabelled hollow organs that make the abdomen look like one: the stomach under the left dome and a
/// random pack of bowel loops holding gas, fluid or faeces. They are distractors a model must learn to
/// tell from the labelled organs.
/// </summary>
internal sealed class Bowel
{
    /// <summary>Draws case <paramref name="seed"/>'s stomach and bowel loops.</summary>
    public Bowel(int seed, PhantomFrame frame, Thorax thorax, BodyOutline body, Spine spine)
    {
        var rng = SplitMix64.ForStream(seed, PhantomStream.Bowel);
        var a = body.CavityHalfWidth;
        var b = body.CavityHalfDepth;
        var list = new List<HollowViscus>();

        var stomachSemi = (rng.Uniform(35, 50), rng.Uniform(28, 40), rng.Uniform(45, 65));
        var stomach = new OrganShape(
            frame,
            (a * rng.Uniform(0.2, 0.38), -b * rng.Uniform(0.15, 0.35), thorax.Diaphragm.LeftDomeZ - rng.Uniform(45, 70)),
            stomachSemi,
            Orientation.FromAngles(rng.Symmetric(0.4), rng.Symmetric(0.3), rng.Symmetric(0.3)),
            displacement: new DisplacementField(rng, frame, 6, 50, 120));
        var stomachContent = rng.Chance(0.7) ? Tissue.BowelFluid : Tissue.Faeces;
        var stomachGas = rng.Chance(0.85) ? stomach.Center.Y - (stomachSemi.Item2 * rng.Uniform(0.2, 0.8)) : double.NegativeInfinity;
        list.Add(new HollowViscus(stomach, 0.1, stomachContent, stomachGas));

        var bottom = Math.Max(frame.Z[0], -330);
        var loops = rng.Between(16, 28);
        for (var n = 0; n < loops; n++)
        {
            var z = rng.Uniform(bottom, -75);
            var v = spine.At(z, body.At(z));
            var y = rng.Uniform(-0.9 * b, v.Y - v.HalfDepth - 15);
            var semi = (rng.Uniform(10, 22), rng.Uniform(9, 18), rng.Uniform(12, 30));
            var shape = new OrganShape(
                frame,
                (a * rng.Symmetric(0.8), y, z),
                semi,
                Orientation.FromAngles(rng.Uniform(0, Math.PI), rng.Uniform(0, Math.PI), rng.Uniform(0, Math.PI)),
                displacement: new DisplacementField(rng, frame, 3, 30, 80));
            var kind = rng.NextDouble();
            var (content, gasLevel) = kind switch
            {
                < 0.3 => (Tissue.BowelGas, double.PositiveInfinity),
                < 0.75 => (Tissue.BowelFluid, rng.Chance(0.3) ? y - (semi.Item2 * rng.Uniform(0.3, 0.8)) : double.NegativeInfinity),
                _ => (Tissue.Faeces, double.NegativeInfinity),
            };
            list.Add(new HollowViscus(shape, 0.18, content, gasLevel));
        }

        Viscera = [.. list];
    }

    /// <summary>The stomach first, then the loops.</summary>
    public IReadOnlyList<HollowViscus> Viscera { get; }
}
