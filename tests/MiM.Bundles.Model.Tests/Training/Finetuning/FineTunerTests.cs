using System.Globalization;
using MiM.Bundles.Model.Training.Checkpoints;
using MiM.Bundles.Model.Training.Finetuning;
using MiM.Bundles.Model.Weights;
using Xunit.Abstractions;

namespace MiM.Bundles.Model.Tests.Training.Finetuning;

[Collection(SerialTorchTests.Name)]
public sealed class FineTunerTests(LabelledPhantomsFixture data, ITestOutputHelper output) : IClassFixture<LabelledPhantomsFixture>, IDisposable
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
    public void A_short_fine_tune_on_four_phantoms_reaches_a_liver_dice_above_0_7_on_a_held_out_phantom()
    {
        // The acceptance test of issue 6: unit network, ROI 32³, 48³ phantoms (seeds 300..303 train, 305 is held out), liver only.
        var run = NewRun();
        var result = FinetuneRuns.Run(FinetuneRuns.Recipe("unit", data.DatasetJson, run, steps: 30, validateEvery: 15, checkpointEvery: 30));

        var losses = Losses(run);
        output.WriteLine(string.Join(" ", losses.Select(l => l.ToString("F3", CultureInfo.InvariantCulture))));
        output.WriteLine(File.ReadAllText(Path.Combine(run, FineTuner.ValidationFile)));
        Assert.Equal(30, losses.Count);
        Assert.True(losses.TakeLast(5).Average() < losses.Take(5).Average() - 0.1, "the DiceCE loss did not fall");
        Assert.True(result.BestDice > 0.7, $"held-out liver Dice {result.BestDice:F3} (best at step {result.BestStep})");
    }

    [Fact]
    public void A_resumed_run_ends_with_exactly_the_weights_and_metrics_of_an_uninterrupted_run()
    {
        var straight = NewRun();
        FinetuneRuns.Run(FinetuneRuns.Recipe("unit", data.DatasetJson, straight, steps: 6, validateEvery: 3, checkpointEvery: 3));

        var interrupted = NewRun();
        var full = FinetuneRuns.Recipe("unit", data.DatasetJson, interrupted, steps: 6, validateEvery: 3, checkpointEvery: 3);

        // The first session stops after 3 steps as Ctrl+C would: same recipe and schedule, cancelled at step 3.
        using (var stop = new CancellationTokenSource())
        {
            var progress = new Progress3(stop);
            var first = FinetuneRuns.Run(full, progress: progress, cancellation: stop.Token);
            Assert.True(first.Cancelled);
            Assert.Equal(3, first.StepsCompleted);
        }

        var resumed = FinetuneRuns.Run(full, resume: true);

        Assert.Equal(6, resumed.StepsCompleted);
        var a = MimWeights.ReadStateDict(Path.Combine(straight, FineTuner.FinalModelFolder, SegmentationModelFolder.WeightsFile));
        var b = MimWeights.ReadStateDict(Path.Combine(interrupted, FineTuner.FinalModelFolder, SegmentationModelFolder.WeightsFile));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, tensor) in a)
        {
            Assert.True(tensor.allclose(b[name], rtol: 0, atol: 1e-6), $"{name} differs after resume");
        }

        Assert.Equal(Losses(straight), Losses(interrupted));
    }

    /// <summary>Requests a stop once step 3 is reported (reports arrive on the training thread, after the step).</summary>
    private sealed class Progress3(CancellationTokenSource stop) : IProgress<FinetuneProgress>
    {
        public void Report(FinetuneProgress value)
        {
            if (value.Step == 3)
            {
                stop.Cancel();
            }
        }
    }

    [Fact]
    public void The_best_model_is_the_checkpoint_with_the_highest_validation_dice_and_loads_for_inference()
    {
        var run = NewRun();
        var result = FinetuneRuns.Run(FinetuneRuns.Recipe("unit", data.DatasetJson, run, steps: 6, validateEvery: 2, checkpointEvery: 2));

        var rows = File.ReadAllLines(Path.Combine(run, FineTuner.ValidationFile)).Skip(1)
            .Select(l => l.Split(',').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(3, rows.Count);
        output.WriteLine(string.Join(" | ", rows.Select(r => string.Join(",", r))));
        var best = rows.Where(r => !double.IsNaN(r[1])).MaxBy(r => r[1])!;
        Assert.Equal((long)best[0], result.BestStep);
        Assert.Equal(best[1], result.BestDice, 1e-9);

        // The best folder holds the weights of the checkpoint taken at that step.
        var bestWeights = MimWeights.ReadStateDict(Path.Combine(result.BestModel!, SegmentationModelFolder.WeightsFile));
        var checkpoint = Path.Combine(new CheckpointStore(run, 20).Directory, string.Create(CultureInfo.InvariantCulture, $"step_{(long)best[0]:D7}"));
        var atStep = MimWeights.ReadStateDict(Path.Combine(checkpoint, CheckpointStore.ModelFile));
        Assert.All(bestWeights, kv => Assert.True(kv.Value.allclose(atStep[kv.Key], rtol: 0, atol: 0), kv.Key));

        var (network, description) = SegmentationModelFolder.Load(result.BestModel!);
        using (network)
        {
            Assert.Equal(2, description.Options.Classes);
            Assert.Equal("liver", description.ClassName(1));
            Assert.NotNull(description.Preprocessing);
        }

        Assert.True(new FileInfo(Path.Combine(run, "loss.png")).Length > 1000);
        Assert.True(new FileInfo(Path.Combine(run, "dice.png")).Length > 1000);
    }

    [Fact]
    public void Starting_again_in_a_folder_with_checkpoints_is_refused_without_resume()
    {
        var run = NewRun();
        FinetuneRuns.Run(FinetuneRuns.Recipe("unit", data.DatasetJson, run, steps: 1, validateEvery: 100, checkpointEvery: 1));
        var error = Assert.Throws<InvalidOperationException>(
            () => FinetuneRuns.Run(FinetuneRuns.Recipe("unit", data.DatasetJson, run, steps: 2, validateEvery: 100, checkpointEvery: 1)));
        Assert.Contains("--resume", error.Message, StringComparison.Ordinal);
    }

    private string NewRun()
    {
        var run = FinetuneRuns.NewRunFolder();
        _runs.Add(run);
        return run;
    }

    private static List<double> Losses(string run) =>
        File.ReadAllLines(Path.Combine(run, FineTuner.MetricsFile)).Skip(1)
            .Select(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)).ToList();
}
