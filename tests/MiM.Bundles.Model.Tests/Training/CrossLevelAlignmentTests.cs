using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Losses;
using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Randomness;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Training;

public class CrossLevelAlignmentTests
{
    private static readonly MimNetworkConfig Network = MimNetworkConfig.Unit;
    private static readonly MaskInMaskConfig Masking = new() { Level2Count = 2, Level3PerLevel2 = 2 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void No_gradient_reaches_the_parent_features_of_either_alignment_term(bool legacy)
    {
        using var network = new MimPretrainNetwork(Network);
        using var sample = Sample();
        var (f1, f2, f3) = Features(sample);

        using var loss = CrossLevelAlignment.Level1To2(network, f1, f2, sample, legacy) + CrossLevelAlignment.Level2To3(network, f2, f3, sample, legacy);
        loss.backward();

        Assert.True(f1.grad is null || f1.grad.abs().sum().item<float>() == 0, "level-1 (parent) features received a gradient");
        Assert.True(f3.grad!.abs().sum().item<float>() > 0, "level-3 (child) features received no gradient");

        // Level 2 is the child of A12 (gradient expected) and the parent of A23 (tested separately below).
        Assert.True(f2.grad!.abs().sum().item<float>() > 0, "level-2 (child of A12) features received no gradient");
    }

    [Fact]
    public void Level2_features_get_no_gradient_from_the_term_where_they_are_the_parent()
    {
        using var network = new MimPretrainNetwork(Network);
        using var sample = Sample();
        var (_, f2, f3) = Features(sample);
        using var loss = CrossLevelAlignment.Level2To3(network, f2, f3, sample, legacy: false);
        loss.backward();
        Assert.True(f2.grad is null || f2.grad.abs().sum().item<float>() == 0);
        Assert.True(network.AggregatePredMidFeature.parameters().All(p => p.grad is not null), "the parent-side projector is trained");
    }

    [Fact]
    public void Legacy_level1_to_2_never_uses_level1_features_nor_the_parent_projector()
    {
        using var network = new MimPretrainNetwork(Network);
        using var sample = Sample();
        var (f1, f2, _) = Features(sample);
        using var faithful = CrossLevelAlignment.Level1To2(network, f1, f2, sample, legacy: false);
        using var legacy = CrossLevelAlignment.Level1To2(network, f1, f2, sample, legacy: true);
        using var legacyOtherParent = CrossLevelAlignment.Level1To2(network, randn_like(f1), f2, sample, legacy: true);
        Assert.Equal(legacy.item<float>(), legacyOtherParent.item<float>());
        legacy.backward();
        Assert.All(network.AggregatePredUpFeature.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
        Assert.NotEqual(faithful.item<float>(), legacy.item<float>());
    }

    private static MaskInMaskSample Sample()
    {
        var sampler = new MaskInMaskSampler(Network, Masking);
        long edge = 2 * Network.InputSize;
        using var crop = rand([1, 1, edge, edge, edge]);
        return sampler.Sample(crop, new StepRandom(7, 0, RandomPurpose.Other));
    }

    private static (Tensor F1, Tensor F2, Tensor F3) Features(MaskInMaskSample sample)
    {
        var t = Network.TokenCount;
        var d = Network.DecoderDim;
        return (
            randn(1, t, d).requires_grad_(true),
            randn(sample.Level2Input.shape[0], t, d).requires_grad_(true),
            randn(sample.Level3Input.shape[0], t, d).requires_grad_(true));
    }
}
