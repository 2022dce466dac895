namespace MiM.Bundles.Model.Training.Parallel;

/// <summary>
/// Splits a step's level-2 children into contiguous shards, one per device, as even as possible (sizes differ by at
/// most one, earlier devices take the extra); each level-3 child goes with its level-2 parent's shard.
/// </summary>
public static class ShardPlan
{
    /// <summary>The shards, one per device, in device order.</summary>
    /// <param name="level2Count">Number of level-2 children (n2).</param>
    /// <param name="level3ParentVolume">For each level-3 child, its parent's level-2 row; must be non-decreasing (children grouped by parent).</param>
    /// <param name="deviceCount">Number of devices (at least 1).</param>
    /// <exception cref="ArgumentException">The level-3 children are not grouped by parent or name a missing parent.</exception>
    public static IReadOnlyList<Shard> Create(int level2Count, IReadOnlyList<int> level3ParentVolume, int deviceCount)
    {
        ArgumentNullException.ThrowIfNull(level3ParentVolume);
        ArgumentOutOfRangeException.ThrowIfNegative(level2Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(deviceCount, 1);
        for (var i = 0; i < level3ParentVolume.Count; i++)
        {
            var parent = level3ParentVolume[i];
            if (parent < 0 || parent >= level2Count)
            {
                throw new ArgumentException($"Level-3 child {i} names level-2 parent {parent}, but there are {level2Count}.", nameof(level3ParentVolume));
            }

            if (i > 0 && parent < level3ParentVolume[i - 1])
            {
                throw new ArgumentException("Level-3 children must be listed in order of their parent volume.", nameof(level3ParentVolume));
            }
        }

        var shards = new List<Shard>(deviceCount);
        var level2Start = 0;
        var level3Start = 0;
        for (var device = 0; device < deviceCount; device++)
        {
            var count = (level2Count / deviceCount) + (device < level2Count % deviceCount ? 1 : 0);
            var end = level2Start + count;
            var level3End = level3Start;
            while (level3End < level3ParentVolume.Count && level3ParentVolume[level3End] < end)
            {
                level3End++;
            }

            shards.Add(new Shard(level2Start, count, level3Start, level3End - level3Start));
            level2Start = end;
            level3Start = level3End;
        }

        return shards;
    }
}
