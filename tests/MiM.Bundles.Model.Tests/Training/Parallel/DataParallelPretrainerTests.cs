using System.Globalization;
using MiM.Bundles.Model.Training;
using MiM.Bundles.Model.Weights;
using Xunit.Abstractions;

namespace MiM.Bundles.Model.Tests.Training.Parallel;

[Collection(SerialTorchTests.Name)]
public sealed class DataParallelPretrainerTests(PhantomDataFixture data, ITestOutputHelper output) : IClassFixture<PhantomDataFixture>, IDisposable
{
    private readonly List<string> _runs = [];

    public void Dispose()
    {
        foreach (var run in _runs.Where(Directory.Exists))
        {
            Directory.Delete(run, recursive: true);
        }
    }

    [Fact]
    public void A_run_on_cpu_cpu_ends_with_the_weights_and_losses_of_a_run_on_cpu()
    {
        var single = NewRun();
        TrainingRuns.Run(TrainingRuns.Recipe("unit", data.DatasetJson, single, steps: 3, checkpointEvery: 3));
        var parallel = NewRun();
        var recipe = TrainingRuns.Recipe("unit", data.DatasetJson, parallel, steps: 3, checkpointEvery: 3) with { Device = "cpu,cpu" };
        var result = TrainingRuns.Run(recipe);
        Assert.Equal(3, result.StepsCompleted);

        var a = MimWeights.ReadStateDict(Path.Combine(single, MimPretrainer.FinalWeightsFile));
        var b = MimWeights.ReadStateDict(Path.Combine(parallel, MimPretrainer.FinalWeightsFile));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        var worst = a.Max(p => (p.Value - b[p.Key]).abs().max().item<float>());
        output.WriteLine($"largest weight difference after 3 steps: {worst:E2}");
        // Gradients agree to float rounding, but AdamW divides by sqrt(v), which magnifies rounding on near-zero
        // gradients: the observed gap is ~2e-5; leaving out the gradient reduction gives ~5e-3.
        foreach (var (name, tensor) in a)
        {
            Assert.True(tensor.allclose(b[name], rtol: 0, atol: 1e-4), $"{name} differs between cpu and cpu,cpu");
        }

        var singleLosses = Losses(single);
        var parallelLosses = Losses(parallel);
        Assert.Equal(singleLosses.Count, parallelLosses.Count);
        for (var i = 0; i < singleLosses.Count; i++)
        {
            Assert.True(Math.Abs(singleLosses[i] - parallelLosses[i]) < 1e-4, $"step {i + 1}: loss {singleLosses[i]} vs {parallelLosses[i]}");
        }
    }

    private static List<double> Losses(string run) =>
        File.ReadAllLines(Path.Combine(run, "metrics.csv")).Skip(1)
            .Select(line => double.Parse(line.Split(',')[2], CultureInfo.InvariantCulture)).ToList();

    private string NewRun()
    {
        var run = TrainingRuns.NewRunFolder();
        _runs.Add(run);
        return run;
    }
}
