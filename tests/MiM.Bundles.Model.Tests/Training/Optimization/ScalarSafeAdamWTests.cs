using MiM.Bundles.Model.Training.Optimization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Training.Optimization;

[Collection(SerialTorchTests.Name)]
public sealed class ScalarSafeAdamWTests
{
    private const double LearningRate = 1e-3;
    private const double WeightDecay = 0.05;
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.95;
    private const double Epsilon = 1e-8;

    // 1 and 7: scalar tail only; 1000: vectors and a tail; 300 001: split across threads, the last part with a tail.
    private static readonly int[] Sizes = [1, 7, 1000, 300_001];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Three_steps_match_adamw_computed_in_float64(bool fused)
    {
        var random = new Random(7);
        var start = Sizes.Select(n => Enumerable.Range(0, n).Select(_ => (float)Normal(random)).ToArray()).ToArray();
        var gradients = Enumerable.Range(0, 3).Select(_ => Sizes.Select(n => Enumerable.Range(0, n).Select(i => Gradient(random, i)).ToArray()).ToArray()).ToArray();

        var actual = Run(start, gradients, fused);
        var expected = ReferenceInFloat64(start, gradients);

        for (var k = 0; k < Sizes.Length; k++)
        {
            for (var i = 0; i < Sizes[k]; i++)
            {
                // A few float32 roundings per step, three steps: 16 ulps of the value (plus the step's size for p).
                var tolerance = 16 * Math.ScaleB(1, -24) * (Math.Abs(expected[k][i]) + LearningRate);
                Assert.True(
                    Math.Abs(actual[k][i] - expected[k][i]) <= tolerance,
                    $"parameter {k} (size {Sizes[k]}), element {i}: {actual[k][i]:R}, expected {expected[k][i]:R} (fused {fused})");
            }
        }
    }

    [Fact]
    public void The_fused_update_and_the_op_by_op_update_agree_on_moments_too()
    {
        var random = new Random(11);
        var start = Sizes.Select(n => Enumerable.Range(0, n).Select(_ => (float)Normal(random)).ToArray()).ToArray();
        var gradients = Enumerable.Range(0, 2).Select(_ => Sizes.Select(n => Enumerable.Range(0, n).Select(i => Gradient(random, i)).ToArray()).ToArray()).ToArray();

        var (fusedFirst, fusedSecond) = Moments(start, gradients, fused: true);
        var (opsFirst, opsSecond) = Moments(start, gradients, fused: false);

        for (var k = 0; k < Sizes.Length; k++)
        {
            for (var i = 0; i < Sizes[k]; i++)
            {
                // m = β₁(1 − β₁)g₀ + (1 − β₁)g₁ may cancel: its rounding is relative to the terms, not to the result.
                var terms = (Beta1 * (1 - Beta1) * Math.Abs(gradients[0][k][i])) + ((1 - Beta1) * Math.Abs(gradients[1][k][i]));
                Assert.True(Math.Abs(fusedFirst[k][i] - opsFirst[k][i]) <= 4 * Math.ScaleB(1, -24) * terms, $"m[{k}][{i}]: fused {fusedFirst[k][i]:R}, ops {opsFirst[k][i]:R}");
                Assert.True(Math.Abs(fusedSecond[k][i] - opsSecond[k][i]) <= 4 * Math.ScaleB(1, -24) * Math.Abs(opsSecond[k][i]), $"v[{k}][{i}]");
            }
        }
    }

    [Fact]
    public void A_float64_parameter_takes_the_op_by_op_path()
    {
        using var scope = NewDisposeScope();
        var parameter = new Parameter(tensor(new double[] { 1, -2 }));
        Assert.False(FusedAdamWUpdate.Supports(parameter, parameter, parameter, parameter));
        using var optimizer = Create([parameter], fused: true);
        parameter.grad = tensor(new double[] { 0.5, -0.25 });

        optimizer.step();

        // First step: m/√v·√c₂/c₁ is sign(g), so p·(1 − lr·wd) − lr·sign(g) (ε aside).
        var values = parameter.data<double>().ToArray();
        Assert.Equal((1 * (1 - (LearningRate * WeightDecay))) - LearningRate, values[0], 9);
        Assert.Equal((-2 * (1 - (LearningRate * WeightDecay))) + LearningRate, values[1], 9);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_backward_through_a_forward_from_before_the_step_is_refused(bool fused)
    {
        // The square saves the parameter for its backward; the step changes the parameter afterwards. Autograd must
        // notice (as it does for libtorch's in-place ops) rather than differentiate with the new values.
        using var scope = NewDisposeScope();
        // Without the counter the fused path is off (and this test could not tell): it must be found here.
        Assert.True(VersionCounter.Available || !OperatingSystem.IsLinux(), "libtorch's bump_version was not found");
        var parameter = new Parameter(randn(1000, generator: new TorchSharp.torch.Generator(3)));
        using var optimizer = Create([parameter], fused);
        (parameter * 2).sum().backward();
        var stale = (parameter * parameter).sum();

        optimizer.step();

        var error = Assert.ThrowsAny<Exception>(() => stale.backward());
        Assert.Contains("modified by an inplace operation", error.Message, StringComparison.Ordinal);
    }

    // Gradients of every scale: ordinary ones, tiny ones whose √v is below ε (so ε decides the step), and zeros.
    private static float Gradient(Random random, int index) => (index % 5) switch
    {
        3 => (float)(Normal(random) * 1e-9),
        4 => 0f,
        _ => (float)(Normal(random) * 0.1),
    };

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static ScalarSafeAdamW Create(IEnumerable<Parameter> parameters, bool fused) =>
        new([new AdamW.ParamGroup(parameters, new AdamW.Options { weight_decay = WeightDecay })], LearningRate, Beta1, Beta2, WeightDecay) { FusedUpdate = fused };

    private static float[][] Run(float[][] start, float[][][] gradients, bool fused)
    {
        using var scope = NewDisposeScope();
        var (parameters, optimizer) = Train(start, gradients, fused);
        using (optimizer)
        {
            return [.. parameters.Select(p => p.data<float>().ToArray())];
        }
    }

    private static (float[][] First, float[][] Second) Moments(float[][] start, float[][][] gradients, bool fused)
    {
        using var scope = NewDisposeScope();
        var (parameters, optimizer) = Train(start, gradients, fused);
        using (optimizer)
        {
            // The moments as the optimizer's state holds them (a checkpoint saves these).
            var states = optimizer.state_dict().State.Cast<AdamW.State>().ToArray();
            return ([.. states.Select(s => s.exp_avg.data<float>().ToArray())], [.. states.Select(s => s.exp_avg_sq.data<float>().ToArray())]);
        }
    }

    /// <summary>Parameters starting at <paramref name="start"/>, one optimizer step per set of gradients.</summary>
    private static (Parameter[] Parameters, ScalarSafeAdamW Optimizer) Train(float[][] start, float[][][] gradients, bool fused)
    {
        var parameters = start.Select(values => new Parameter(tensor(values))).ToArray();
        var optimizer = Create(parameters, fused);
        foreach (var step in gradients)
        {
            for (var k = 0; k < parameters.Length; k++)
            {
                parameters[k].grad = tensor(step[k]);
            }

            optimizer.step();
        }

        return (parameters, optimizer);
    }

    private static double[][] ReferenceInFloat64(float[][] start, float[][][] gradients)
    {
        var p = start.Select(a => a.Select(x => (double)x).ToArray()).ToArray();
        var m = start.Select(a => new double[a.Length]).ToArray();
        var v = start.Select(a => new double[a.Length]).ToArray();
        for (var t = 1; t <= gradients.Length; t++)
        {
            var (c1, c2) = (1 - Math.Pow(Beta1, t), 1 - Math.Pow(Beta2, t));
            for (var k = 0; k < p.Length; k++)
            {
                for (var i = 0; i < p[k].Length; i++)
                {
                    double g = gradients[t - 1][k][i];
                    p[k][i] *= 1 - (LearningRate * WeightDecay);
                    m[k][i] = (Beta1 * m[k][i]) + ((1 - Beta1) * g);
                    v[k][i] = (Beta2 * v[k][i]) + ((1 - Beta2) * g * g);
                    p[k][i] -= LearningRate / c1 * m[k][i] / ((Math.Sqrt(v[k][i]) / Math.Sqrt(c2)) + Epsilon);
                }
            }
        }

        return p;
    }
}
