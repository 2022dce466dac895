using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Randomness;
using MiM.Bundles.Model.Training;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Training;

public sealed class SingleLevelObjectiveTests
{
    private static readonly MimNetworkConfig Network = MimNetworkConfig.Unit;

    [Fact]
    public void With_level2_level3_and_alignment_weights_zero_the_objective_is_the_plain_level1_MAE_loss()
    {
        using var network = new MimPretrainNetwork(Network);
        network.eval();
        using var sample = Sample();
        var mae = new LossWeights { Level2 = 0, Level3 = 0, Align12 = 0, Align23 = 0 };
        Assert.False(mae.UsesLevel2);
        Assert.False(mae.UsesLevel3);

        var (total, parts) = new MimPretrainObjective(network, mae, legacyAlignment: false).Compute(sample, 0.5);
        using var reconstructOnly = new MimPretrainObjective(network, mae, false).ReconstructOnly(sample.Level1Input, sample.Level1Mask);

        Assert.Equal(0, parts.Level2);
        Assert.Equal(0, parts.Level3);
        Assert.Equal(reconstructOnly.item<float>(), total.item<float>(), 1e-6);
        Assert.True(parts.Level1 > 0);

        // The full MiM objective on the same sample does run the deeper levels.
        var (_, mim) = new MimPretrainObjective(network, new LossWeights(), false).Compute(sample, 0.5);
        Assert.True(mim.Level2 > 0 && mim.Level3 > 0, $"L2 {mim.Level2}, L3 {mim.Level3}");
        Assert.Equal(parts.Level1, mim.Level1, 1e-6);
    }

    [Fact]
    public void An_alignment_term_keeps_the_levels_it_reads()
    {
        Assert.True(new LossWeights { Level2 = 0, Level3 = 0, Align12 = 0.1, Align23 = 0 }.UsesLevel2);
        Assert.True(new LossWeights { Level2 = 0, Level3 = 0, Align12 = 0, Align23 = 0.1 }.UsesLevel3);
        Assert.False(new LossWeights { Level3 = 0, Align23 = 0 }.UsesLevel3);
    }

    private static MaskInMaskSample Sample()
    {
        var sampler = new MaskInMaskSampler(Network, new MaskInMaskConfig { Level2Count = 2, Level3PerLevel2 = 2 });
        long edge = 2 * Network.InputSize;
        using var crop = rand([1, 1, edge, edge, edge]);
        return sampler.Sample(crop, new StepRandom(3, 0, RandomPurpose.Other));
    }
}
