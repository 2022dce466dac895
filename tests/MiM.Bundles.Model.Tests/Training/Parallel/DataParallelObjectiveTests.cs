using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Randomness;
using MiM.Bundles.Model.Training;
using MiM.Bundles.Model.Training.Parallel;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Training.Parallel;

[Collection(SerialTorchTests.Name)]
public class DataParallelObjectiveTests
{
    private static readonly PretrainConfig Config = PretrainConfig.Load(RepositoryFiles.Path("configs", "pretrain", "unit.json"));

    [Theory]
    [InlineData(2)]
    [InlineData(3)] // n2 = 2: the third device gets nothing
    public void Combined_loss_and_reduced_gradients_equal_the_single_device_ones(int deviceCount)
    {
        manual_seed(11);
        using var network = new MimPretrainNetwork(Config.Network);
        network.train();
        using var sample = Sample();
        Assert.Equal(2, sample.Level2Input.shape[0]);
        Assert.Equal(4, sample.Level3Input.shape[0]);

        var single = new MimPretrainObjective(network, Config.Loss, legacyAlignment: false);
        var (total, parts) = single.Compute(sample, 0.3);
        total.backward();
        var expected = network.parameters().Select(p => p.grad?.clone()).ToList();
        network.zero_grad();

        using var replicas = new ReplicaSet(network, Enumerable.Repeat(CPU, deviceCount).ToList());
        var parallel = new DataParallelObjective(replicas, Config.Loss, legacyAlignment: false);
        var combined = parallel.ComputeAndBackward(sample, 0.3);
        replicas.ReduceGradients();

        Assert.True(Math.Abs(combined.Total - parts.Total) < 1e-5, $"parallel loss {combined.Total} vs single {parts.Total}");
        Assert.True(Math.Abs(combined.Level2 - parts.Level2) < 1e-5, $"L2 {combined.Level2} vs {parts.Level2}");
        Assert.True(Math.Abs(combined.Level3 - parts.Level3) < 1e-5, $"L3 {combined.Level3} vs {parts.Level3}");
        Assert.True(Math.Abs(combined.Align12 - parts.Align12) < 1e-5, $"A12 {combined.Align12} vs {parts.Align12}");
        Assert.True(Math.Abs(combined.Align23 - parts.Align23) < 1e-5, $"A23 {combined.Align23} vs {parts.Align23}");
        var names = network.named_parameters().Select(p => p.name).ToList();
        var actual = network.parameters().Select(p => p.grad).ToList();
        var compared = 0;
        for (var i = 0; i < names.Count; i++)
        {
            if (expected[i] is null)
            {
                Assert.True(actual[i] is null || actual[i]!.abs().max().item<float>() == 0, $"{names[i]} got a gradient only in parallel");
                continue;
            }

            Assert.NotNull(actual[i]);
            Assert.True(actual[i]!.allclose(expected[i]!, rtol: 1e-4, atol: 1e-5), $"{names[i]}: gradients differ (max {(actual[i]! - expected[i]!).abs().max().item<float>()})");
            compared++;
        }

        Assert.True(compared > 20, $"only {compared} gradients compared");
    }

    [Fact]
    public void Legacy_alignment_is_refused()
    {
        using var network = new MimPretrainNetwork(Config.Network);
        using var replicas = new ReplicaSet(network, [CPU, CPU]);
        Assert.Throws<NotSupportedException>(() => new DataParallelObjective(replicas, Config.Loss, legacyAlignment: true));
    }

    internal static MaskInMaskSample Sample()
    {
        var sampler = new MaskInMaskSampler(Config.Network, Config.Masking);
        long edge = 2 * Config.Network.InputSize;
        manual_seed(5);
        using var crop = rand([1, 1, edge, edge, edge]);
        return sampler.Sample(crop, new StepRandom(3, 0, RandomPurpose.Masking));
    }
}
