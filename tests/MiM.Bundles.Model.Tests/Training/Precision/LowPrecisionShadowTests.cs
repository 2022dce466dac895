using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Numerics;
using MiM.Bundles.Model.Randomness;
using MiM.Bundles.Model.Training;
using MiM.Bundles.Model.Training.Precision;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Training.Precision;

/// <summary>
/// The shadow mechanism (pull master values, compute in the copy's type, push fp32 gradients, step the master) is
/// tested with a float64 copy, whose gradients are exact to fp32; bf16 on the CPU is then tested against that float64
/// run (it was refused while libtorch's broken oneDNN convolutions made its gradients wrong, issue 11).
/// </summary>
[Collection(SerialTorchTests.Name)]
public class LowPrecisionShadowTests(ITestOutputHelper output)
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

    /// <summary>
    /// bf16 on the CPU, allowed only when the bf16 self-check passes: one pre-training step's gradients against the same
    /// step through a float64 copy. bf16 rounds to 8 significant bits (u = 2⁻⁸ ≈ 3.9e-3) at every layer's inputs,
    /// weights and outputs, and a gradient passes through ~20 layers, so per-parameter errors of a few percent are
    /// rounding (measured: median ~1e-2, worst ~7e-2, docs/numerics.md); the broken kernels gave NaN or norms of 1e8.
    /// Bounds: every parameter within 25% (relative norm), the median within 4% — an error a wrong kernel would exceed.
    /// </summary>
    [Fact]
    public void Bf16_on_the_cpu_gives_gradients_within_bf16_rounding_of_float64_or_is_refused()
    {
        manual_seed(5);
        using var master = new MimPretrainNetwork(Network);
        using (var exact = new TrainingPrecision<MimPretrainNetwork>(master, () => new MimPretrainNetwork(Network), ScalarType.Float64, scaler: null))
        {
            Step(exact);
        }

        var expected = master.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        master.zero_grad();

        var bf16Report = CpuKernelGuard.Bf16Report;
        output.WriteLine("bf16 self-check: " + string.Join(", ", bf16Report.Paths.Select(p => $"{p.Key} {p.Value}")) + Environment.NewLine
            + string.Join(Environment.NewLine, bf16Report.Failures));
        if (!bf16Report.Passed)
        {
            var refusal = Assert.Throws<KernelSelfCheckException>(() => new TrainingPrecision<MimPretrainNetwork>("bf16", master, () => new MimPretrainNetwork(Network), CPU, 1));
            Assert.Contains("bf16", refusal.Message, StringComparison.Ordinal);
            return;
        }

        using var bf16 = new TrainingPrecision<MimPretrainNetwork>("bf16", master, () => new MimPretrainNetwork(Network), CPU, 1);
        Step(bf16);
        var errors = new List<double>();
        foreach (var (name, parameter) in master.named_parameters())
        {
            if (expected.TryGetValue(name, out var reference) && reference.norm().item<float>() > 0)
            {
                var error = parameter.grad!.sub(reference).norm().item<float>() / reference.norm().item<float>();
                Assert.True(double.IsFinite(error) && error < 0.25, $"{name}: bf16 gradient {error:P1} from float64");
                errors.Add(error);
            }
        }

        errors.Sort();
        output.WriteLine($"bf16 gradients against float64: {errors.Count} parameters, median {errors[errors.Count / 2]:E2}, worst {errors[^1]:E2}");
        Assert.True(errors[errors.Count / 2] < 0.04, $"median relative gradient error {errors[errors.Count / 2]:P2}, worst {errors[^1]:P2}");
    }

    private static void Step(TrainingPrecision<MimPretrainNetwork> precision)
    {
        var objective = new MimPretrainObjective(precision.ComputeNetwork, new LossWeights(), legacyAlignment: false);
        precision.BeginStep();
        using (var sample = precision.Prepare(Sample()))
        {
            precision.Backward(objective.Compute(sample, 0).Total);
        }

        Assert.True(precision.CompleteBackward());
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
