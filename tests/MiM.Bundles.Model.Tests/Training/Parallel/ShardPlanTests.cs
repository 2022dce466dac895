using MiM.Bundles.Model.Training.Parallel;

namespace MiM.Bundles.Model.Tests.Training.Parallel;

public class ShardPlanTests
{
    [Theory]
    [InlineData(2, 2)]
    [InlineData(2, 3)]
    [InlineData(5, 2)]
    [InlineData(7, 3)]
    [InlineData(8, 8)]
    [InlineData(1, 4)]
    [InlineData(0, 2)]
    public void Shards_are_contiguous_even_cover_every_child_once_and_keep_level3_with_its_parent(int level2Count, int devices)
    {
        var random = new Random(level2Count * 31 + devices);
        var parents = Enumerable.Range(0, level2Count).SelectMany(p => Enumerable.Repeat(p, random.Next(0, 4))).ToList();
        var shards = ShardPlan.Create(level2Count, parents, devices);

        Assert.Equal(devices, shards.Count);
        Assert.True(shards.Max(s => s.Level2Count) - shards.Min(s => s.Level2Count) <= 1, "sizes differ by more than one");
        var next2 = 0;
        var next3 = 0;
        foreach (var shard in shards)
        {
            Assert.Equal(next2, shard.Level2Start);
            Assert.Equal(next3, shard.Level3Start);
            for (var child = shard.Level3Start; child < shard.Level3Start + shard.Level3Count; child++)
            {
                Assert.InRange(parents[child], shard.Level2Start, shard.Level2Start + shard.Level2Count - 1);
            }

            next2 += shard.Level2Count;
            next3 += shard.Level3Count;
        }

        Assert.Equal(level2Count, next2);
        Assert.Equal(parents.Count, next3);
    }

    [Fact]
    public void Two_children_over_three_devices_leave_the_last_device_empty()
    {
        var shards = ShardPlan.Create(2, [0, 0, 1, 1], 3);
        Assert.Equal([new Shard(0, 1, 0, 2), new Shard(1, 1, 2, 2), new Shard(2, 0, 4, 0)], shards);
        Assert.True(shards[2].IsEmpty);
    }

    [Fact]
    public void Level3_children_out_of_parent_order_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ShardPlan.Create(2, [1, 0], 2));
        Assert.Throws<ArgumentException>(() => ShardPlan.Create(2, [0, 2], 2));
    }
}
