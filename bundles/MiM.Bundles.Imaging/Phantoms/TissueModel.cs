namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// The mean attenuation (HU) of every tissue in one case: drawn within published ranges, varied per case,
/// and raised for enhancing tissues when the case is portal venous.
/// </summary>
internal sealed class TissueModel
{
    private readonly float[] hu = new float[Enum.GetValues<Tissue>().Length];

    /// <summary>Draws case <paramref name="seed"/>'s tissue attenuations and contrast phase.</summary>
    public TissueModel(int seed)
    {
        var rng = SplitMix64.ForStream(seed, PhantomStream.Tissues);
        Phase = rng.Chance(0.5) ? ContrastPhase.PortalVenous : ContrastPhase.NonContrast;
        var enhanced = Phase == ContrastPhase.PortalVenous;
        var subcutaneous = rng.Uniform(-120, -80);
        var blood = rng.Uniform(35, 50);

        Set(Tissue.Air, rng.Uniform(-1005, -995));
        Set(Tissue.Skin, rng.Uniform(0, 30));
        Set(Tissue.SubcutaneousFat, subcutaneous);
        Set(Tissue.VisceralFat, Math.Clamp(subcutaneous + rng.Symmetric(8), -120, -80));
        Set(Tissue.Muscle, rng.Uniform(35, 55) + (enhanced ? rng.Uniform(5, 15) : 0));
        Set(Tissue.Lung, rng.Uniform(-900, -800));
        Set(Tissue.Liver, rng.Uniform(50, 70) + (enhanced ? rng.Uniform(40, 60) : 0));
        Set(Tissue.Spleen, rng.Uniform(40, 55) + (enhanced ? rng.Uniform(60, 90) : 0));
        Set(Tissue.Kidney, rng.Uniform(25, 40) + (enhanced ? rng.Uniform(90, 130) : 0));
        Set(Tissue.ArterialBlood, enhanced ? rng.Uniform(150, 250) : blood);
        Set(Tissue.VenousBlood, enhanced ? rng.Uniform(110, 170) : blood);
        Set(Tissue.Heart, enhanced ? rng.Uniform(120, 180) : blood + rng.Symmetric(3));
        Set(Tissue.CancellousBone, rng.Uniform(200, 350));
        Set(Tissue.CorticalBone, rng.Uniform(600, 1200));
        Set(Tissue.PosteriorElementBone, rng.Uniform(350, 600));
        Set(Tissue.IntervertebralDisc, rng.Uniform(70, 95));
        Set(Tissue.RibBone, rng.Uniform(400, 700));
        Set(Tissue.SpinalCanal, rng.Uniform(10, 25));
        Set(Tissue.BowelWall, rng.Uniform(30, 45) + (enhanced ? rng.Uniform(20, 40) : 0));
        Set(Tissue.BowelFluid, rng.Uniform(0, 20));
        Set(Tissue.BowelGas, rng.Uniform(-1000, -950));
        Set(Tissue.Faeces, rng.Uniform(-250, -50));
    }

    /// <summary>The case's contrast phase.</summary>
    public ContrastPhase Phase { get; }

    /// <summary>The mean HU of <paramref name="tissue"/>.</summary>
    public float Mean(Tissue tissue) => hu[(int)tissue];

    /// <summary>Paints each voxel with its tissue's mean HU.</summary>
    public float[] Render(byte[] tissues, ParallelOptions options)
    {
        var image = new float[tissues.Length];
        var sliceLength = tissues.Length / Math.Max(1, (int)Math.Round(Math.Cbrt(tissues.Length)));
        Parallel.For(0, (tissues.Length + sliceLength - 1) / sliceLength, options, s =>
        {
            var end = Math.Min(tissues.Length, (s + 1) * sliceLength);
            for (var n = s * sliceLength; n < end; n++)
            {
                image[n] = hu[tissues[n]];
            }
        });
        return image;
    }

    private void Set(Tissue tissue, double value) => hu[(int)tissue] = (float)value;
}
