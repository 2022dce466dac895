using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Randomness;
using MiM.Bundles.Model.Training;
using MiM.Bundles.Model.Training.Precision;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Training.Precision;

/// <summary>
/// The shadow mechanism (pull master values, compute in the copy's type, push fp32 gradients, step the master) is
/// tested with a float64 copy: libtorch's CPU bf16 kernels gave intermittently wrong gradients here, so bf16 and
/// fp16 are CUDA-only and the element type under test must be one the CPU computes reliably.
/// </summary>
[Collection(SerialTorchTests.Name)]
public class LowPrecisionShadowTests
{
    private static readonly MimNetworkConfig Network = MimNetworkConfig.Unit;
    private static readonly MaskInMaskConfig Masking = new() { Level2Count = 2, Level3PerLevel2 = 2 };

    [Fact]
    public void A_step_through_the_copy_gives_the_master_the_gradients_of_a_direct_backward()
    {
        manual_seed(3);
        using var master = new MimPretrainNetwork(Network);
        var objective = new MimPretrainObjective(master, new LossWeights(), legacyAlignment: false);
        using (var sample = Sample())
        {
            objective.Compute(sample, 0).Total.backward();
        }

        var expected = master.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        master.zero_grad();

        using var precision = new TrainingPrecision<MimPretrainNetwork>(master, () => new MimPretrainNetwork(Network), ScalarType.Float64, scaler: null);
        var shadowObjective = new MimPretrainObjective(precision.ComputeNetwork, new LossWeights(), legacyAlignment: false);
        precision.BeginStep();
        using (var sample = precision.Prepare(Sample()))
        {
            precision.Backward(shadowObjective.Compute(sample, 0).Total);
        }

        Assert.True(precision.CompleteBackward());
        foreach (var (name, parameter) in master.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            if (expected.TryGetValue(name, out var grad))
            {
                Assert.True(parameter.grad!.allclose(grad, rtol: 1e-3, atol: 1e-6), $"{name}: pushed gradient differs from the direct one");
            }
        }
    }

    [Fact]
    public void An_overflowing_scaled_backward_skips_the_step_and_leaves_the_master_gradients_untouched()
    {
        manual_seed(4);
        using var master = new MimPretrainNetwork(Network);
        using var precision = new TrainingPrecision<MimPretrainNetwork>(master, () => new MimPretrainNetwork(Network), ScalarType.Float64, new DynamicLossScaler(initialScale: double.MaxValue / 2));
        var objective = new MimPretrainObjective(precision.ComputeNetwork, new LossWeights(), legacyAlignment: false);
        precision.BeginStep();
        using (var sample = precision.Prepare(Sample()))
        {
            precision.Backward(objective.Compute(sample, 0).Total);
        }

        Assert.False(precision.CompleteBackward());
        Assert.Equal(1, precision.SkippedSteps);
        Assert.All(master.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
    }

    private static MaskInMaskSample Sample()
    {
        var sampler = new MaskInMaskSampler(Network, Masking);
        long edge = 2 * Network.InputSize;
        manual_seed(11);
        using var crop = rand([1, 1, edge, edge, edge]);
        return sampler.Sample(crop, new StepRandom(7, 0, RandomPurpose.Other));
    }
}
