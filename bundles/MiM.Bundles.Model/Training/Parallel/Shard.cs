namespace MiM.Bundles.Model.Training.Parallel;

/// <summary>One device's contiguous share of a step's children: level-2 rows and the level-3 rows whose parents they are.</summary>
/// <param name="Level2Start">First level-2 row.</param>
/// <param name="Level2Count">Number of level-2 rows (0 when the device gets nothing this step).</param>
/// <param name="Level3Start">First level-3 row.</param>
/// <param name="Level3Count">Number of level-3 rows.</param>
public sealed record Shard(int Level2Start, int Level2Count, int Level3Start, int Level3Count)
{
    /// <summary>True when the device has no level-2 child (and therefore no level-3 child) this step.</summary>
    public bool IsEmpty => Level2Count == 0;
}
