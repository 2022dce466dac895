namespace MiM.Bundles.Model.Training;

/// <summary>How the level losses are weighted over the run (MIM_SPEC.md section 3).</summary>
public enum LevelSchedule
{
    /// <summary>All levels at their configured weight throughout (the default).</summary>
    Concurrent,

    /// <summary>Level 1 fades from 2× to 1× while level 3 grows from 0 to 1×.</summary>
    CoarseToFine,

    /// <summary>The mirror of <see cref="CoarseToFine"/>.</summary>
    FineToCoarse,
}

/// <summary>Weights of the five loss terms: L = w1·L₁ + w2·L₂ + w3·L₃ + a12·A₁₂ + a23·A₂₃.</summary>
public sealed record LossWeights
{
    /// <summary>Level-1 reconstruction weight.</summary>
    public double Level1 { get; init; } = 1;

    /// <summary>Level-2 reconstruction weight.</summary>
    public double Level2 { get; init; } = 1;

    /// <summary>Level-3 reconstruction weight.</summary>
    public double Level3 { get; init; } = 1;

    /// <summary>Level 1→2 alignment weight.</summary>
    public double Align12 { get; init; } = 0.1;

    /// <summary>Level 2→3 alignment weight.</summary>
    public double Align23 { get; init; } = 0.1;

    /// <summary>How the level weights change over the run.</summary>
    public LevelSchedule Schedule { get; init; } = LevelSchedule.Concurrent;

    /// <summary>True when some term reads the level-2 reconstruction (its loss or an alignment).</summary>
    public bool UsesLevel2 => Level2 != 0 || Align12 != 0 || Align23 != 0;

    /// <summary>True when some term reads the level-3 reconstruction.</summary>
    public bool UsesLevel3 => Level3 != 0 || Align23 != 0;

    /// <summary>The weights in force at <paramref name="progress"/> ∈ [0, 1] of the run.</summary>
    public (double Level1, double Level2, double Level3) LevelWeightsAt(double progress)
    {
        var rising = Math.Sin(Math.PI * progress / 2);
        var falling = Math.Cos(Math.PI * progress / 2) + 1;
        return Schedule switch
        {
            LevelSchedule.CoarseToFine => (Level1 * falling, Level2, Level3 * rising),
            LevelSchedule.FineToCoarse => (Level1 * rising, Level2, Level3 * falling),
            _ => (Level1, Level2, Level3),
        };
    }
}
