using MiM.Bundles.Model.Training;

namespace MiM.Bundles.Model.Tests.Training;

public class ScheduleTests
{
    [Fact]
    public void Warm_up_rises_linearly_to_the_peak_then_the_half_cosine_falls_to_the_minimum()
    {
        var schedule = new WarmupCosineSchedule(PeakLearningRate: 1e-3, MinLearningRate: 1e-5, WarmupSteps: 4, TotalSteps: 14);
        Assert.Equal(0.25e-3, schedule.At(0), 12);
        Assert.Equal(1e-3, schedule.At(3), 12);
        Assert.Equal(1e-3, schedule.At(4), 12);
        Assert.Equal(1e-5 + ((1e-3 - 1e-5) / 2), schedule.At(9), 12);
        Assert.Equal(1e-5, schedule.At(14), 12);
        Assert.True(schedule.At(10) < schedule.At(9));
    }

    [Fact]
    public void Concurrent_schedule_keeps_the_configured_level_weights()
    {
        var weights = new LossWeights { Level1 = 1, Level2 = 2, Level3 = 3 };
        Assert.Equal((1.0, 2.0, 3.0), weights.LevelWeightsAt(0.7));
    }

    [Fact]
    public void Coarse_to_fine_starts_on_level_one_and_ends_with_level_three_fully_on()
    {
        var weights = new LossWeights { Schedule = LevelSchedule.CoarseToFine };
        var start = weights.LevelWeightsAt(0);
        var end = weights.LevelWeightsAt(1);
        Assert.Equal(2, start.Level1, 9);
        Assert.Equal(0, start.Level3, 9);
        Assert.Equal(1, end.Level1, 9);
        Assert.Equal(1, end.Level3, 9);
    }

    [Fact]
    public void Fine_to_coarse_is_the_mirror_of_coarse_to_fine()
    {
        var c2f = new LossWeights { Schedule = LevelSchedule.CoarseToFine }.LevelWeightsAt(0.3);
        var f2c = new LossWeights { Schedule = LevelSchedule.FineToCoarse }.LevelWeightsAt(0.3);
        Assert.Equal(c2f.Level1, f2c.Level3, 12);
        Assert.Equal(c2f.Level3, f2c.Level1, 12);
    }
}
