using MiM.Bundles.Model.Data;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Training;
using MiM.Bundles.Model.Training.Checkpoints;
using MiM.Bundles.Model.Weights;
using Xunit.Abstractions;

namespace MiM.Bundles.Model.Tests.Training;

[Collection(SerialTorchTests.Name)]
public sealed class MimPretrainerTests(PhantomDataFixture data, ITestOutputHelper output) : IClassFixture<PhantomDataFixture>, IDisposable
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
    public void A_resumed_run_ends_with_exactly_the_weights_of_an_uninterrupted_run()
    {
        var straight = NewRun();
        TrainingRuns.Run(TrainingRuns.Recipe("unit", data.DatasetJson, straight, steps: 6, checkpointEvery: 3));

        var interrupted = NewRun();
        TrainingRuns.Run(TrainingRuns.Recipe("unit", data.DatasetJson, interrupted, steps: 3, checkpointEvery: 3));
        var resumed = TrainingRuns.Run(TrainingRuns.Recipe("unit", data.DatasetJson, interrupted, steps: 6, checkpointEvery: 3), resume: true);

        Assert.Equal(6, resumed.StepsCompleted);
        var a = MimWeights.ReadStateDict(Path.Combine(straight, MimPretrainer.FinalWeightsFile));
        var b = MimWeights.ReadStateDict(Path.Combine(interrupted, MimPretrainer.FinalWeightsFile));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, tensor) in a)
        {
            Assert.True(tensor.allclose(b[name], rtol: 0, atol: 1e-6), $"{name} differs after resume");
        }

        var straightRows = File.ReadAllLines(Path.Combine(straight, "metrics.csv")).Select(LossColumns);
        var resumedRows = File.ReadAllLines(Path.Combine(interrupted, "metrics.csv")).Select(LossColumns);
        Assert.Equal(straightRows, resumedRows);
    }

    [Fact]
    public void A_run_writes_metrics_a_loss_curve_and_checkpoints_with_the_authors_names()
    {
        var run = NewRun();
        var result = TrainingRuns.Run(TrainingRuns.Recipe("unit", data.DatasetJson, run, steps: 4, checkpointEvery: 2));
        Assert.Equal(4, result.StepsCompleted);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length);
        Assert.True(new FileInfo(Path.Combine(run, "loss.png")).Length > 1000);
        var store = new CheckpointStore(run, keep: 10);
        Assert.EndsWith("step_0000004", store.Latest(), StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(store.Directory, "step_0000002")));
        var names = MimWeights.ReadStateDict(Path.Combine(store.Latest()!, CheckpointStore.ModelFile)).Keys;
        Assert.Contains("blocks4.0.attn.qkv.weight", names);
        Assert.Contains("aggregate_pred_mid_feature.fc2.bias", names);
    }

    [Fact]
    public void Starting_again_in_a_folder_with_checkpoints_is_refused_without_resume()
    {
        var run = NewRun();
        TrainingRuns.Run(TrainingRuns.Recipe("unit", data.DatasetJson, run, steps: 1, checkpointEvery: 1));
        var error = Assert.Throws<InvalidOperationException>(
            () => TrainingRuns.Run(TrainingRuns.Recipe("unit", data.DatasetJson, run, steps: 2, checkpointEvery: 1)));
        Assert.Contains("--resume", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_finite_loss_stops_the_run_and_keeps_the_last_good_checkpoint()
    {
        var run = NewRun();
        var recipe = TrainingRuns.Recipe("unit", data.DatasetJson, run, steps: 20, checkpointEvery: 1);
        recipe = recipe with { Optimizer = recipe.Optimizer with { LearningRate = 1e30, WarmupSteps = 0 } };
        var error = Assert.Throws<NonFiniteLossException>(() => TrainingRuns.Run(recipe));
        Assert.Contains("last good checkpoint", error.Message, StringComparison.Ordinal);

        var latest = new CheckpointStore(run, keep: 10).Latest();
        Assert.NotNull(latest);
        foreach (var (name, tensor) in MimWeights.ReadStateDict(Path.Combine(latest, CheckpointStore.ModelFile)))
        {
            Assert.True(tensor.isfinite().all().item<bool>(), $"{name} in the kept checkpoint is not finite");
        }
    }

    [Fact]
    public void Smoke_recipe_lowers_the_loss_of_held_out_samples_over_fifty_steps()
    {
        var run = NewRun();
        var recipe = TrainingRuns.Recipe("smoke", data.DatasetJson, run, steps: 50, checkpointEvery: 50);
        TrainingRuns.Run(recipe);

        // The same held-out crops and masks (steps the run never drew), scored by the initial and the trained weights.
        var source = PretrainDatasetSource.Open(data.DatasetJson);
        var heldOut = Enumerable.Range(10_000, 8).Select(i => (long)i).ToList();
        TorchSharp.torch.manual_seed(unchecked((long)recipe.Data.Seed));
        using var initial = new MimPretrainNetwork(recipe.Network);
        var before = PretrainEvaluator.MeanLoss(initial, recipe, source, heldOut);
        using var trained = new MimPretrainNetwork(recipe.Network);
        MimWeights.Load(trained, Path.Combine(run, MimPretrainer.FinalWeightsFile));
        var after = PretrainEvaluator.MeanLoss(trained, recipe, source, heldOut);

        output.WriteLine($"held-out loss before: {before}");
        output.WriteLine($"held-out loss after:  {after}");
        var reconstructionBefore = before.Level1 + before.Level2 + before.Level3;
        var reconstructionAfter = after.Level1 + after.Level2 + after.Level3;
        Assert.True(after.Total < 0.9 * before.Total, $"total loss before {before.Total:F4}, after {after.Total:F4}");
        Assert.True(reconstructionAfter < reconstructionBefore, $"reconstruction before {reconstructionBefore:F4}, after {reconstructionAfter:F4}");
    }

    [Fact]
    public void Fp16_on_the_cpu_is_refused_with_the_alternative()
    {
        var recipe = TrainingRuns.Recipe("unit", data.DatasetJson, NewRun(), steps: 1, checkpointEvery: 1);
        var error = Assert.Throws<NotSupportedException>(() => TrainingRuns.Run(recipe with { Precision = "fp16" }));
        Assert.Contains("CUDA", error.Message, StringComparison.Ordinal);
        Assert.Contains("fp32", error.Message, StringComparison.Ordinal);
    }

    private static string LossColumns(string line) => string.Join(',', line.Split(',').Take(8));

    private string NewRun()
    {
        var run = TrainingRuns.NewRunFolder();
        _runs.Add(run);
        return run;
    }
}
