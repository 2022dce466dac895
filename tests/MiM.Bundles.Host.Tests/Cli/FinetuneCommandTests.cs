namespace MiM.Bundles.Host.Tests.Cli;

public sealed class FinetuneCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mim-cli-finetune-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Finetune_prints_progress_and_validation_dice_keeps_a_best_model_infer_reads_and_refuses_to_overwrite_a_run()
    {
        var data = Path.Combine(_folder, "data");
        var run = Path.Combine(_folder, "run");
        Assert.Equal(0, MimProcess.Run(Timeout, "phantom", "--out", data, "--count", "5", "--size", "32").ExitCode);
        var recipe = RepositoryFiles.Path("configs", "finetune", "unit.json");
        var dataset = Path.Combine(data, "dataset.json");

        var first = MimProcess.Run(Timeout, "finetune", "--config", recipe, "--data", dataset, "--out", run, "--steps", "2", "--threads", "2");
        Assert.True(first.ExitCode == 0, first.StdOut + first.StdErr);
        Assert.Contains("step 2/2  loss", first.StdOut, StringComparison.Ordinal);
        Assert.Contains("steps/s  ETA", first.StdOut, StringComparison.Ordinal);
        Assert.Contains("validation at step 2: mean Dice", first.StdOut, StringComparison.Ordinal);
        Assert.Contains("liver", first.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "final", "segmentation.json")));
        Assert.True(File.Exists(Path.Combine(run, "final", "model.safetensors")));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length);

        // `mim infer` reads the model folder: the held-out case (the last of the five) is segmented on its own grid and scored.
        var heldOut = Path.Combine(data, "imagesTr", "phantom_0004.nii.gz");
        var inferred = MimProcess.Run(
            Timeout, "infer", "--weights", Path.Combine(run, "best"), "--input", heldOut, "--output", Path.Combine(_folder, "seg.nii.gz"),
            "--reference", Path.Combine(data, "labelsTr", "phantom_0004.nii.gz"));
        Assert.True(inferred.ExitCode == 0, inferred.StdOut + inferred.StdErr);
        Assert.Contains("liver", inferred.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_folder, "seg.nii.gz")));

        var again = MimProcess.Run(Timeout, "finetune", "--config", recipe, "--data", dataset, "--out", run, "--steps", "3");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("--resume", again.StdErr, StringComparison.Ordinal);

        var resumed = MimProcess.Run(Timeout, "finetune", "--config", recipe, "--data", dataset, "--out", run, "--steps", "3", "--resume", "--threads", "2");
        Assert.True(resumed.ExitCode == 0, resumed.StdOut + resumed.StdErr);
        Assert.Contains("step 3/3", resumed.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("step 1/3", resumed.StdOut, StringComparison.Ordinal);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length);
    }

    [Fact]
    public void Finetune_from_a_pretraining_checkpoint_prints_the_encoder_transfer_report()
    {
        var data = Path.Combine(_folder, "data");
        Assert.Equal(0, MimProcess.Run(Timeout, "phantom", "--out", data, "--count", "5", "--size", "32").ExitCode);
        var pretrainRun = Path.Combine(_folder, "pretrain");
        var pretrain = MimProcess.Run(
            Timeout, "pretrain", "--config", RepositoryFiles.Path("configs", "pretrain", "unit.json"), "--data", data, "--out", pretrainRun, "--steps", "1");
        Assert.True(pretrain.ExitCode == 0, pretrain.StdOut + pretrain.StdErr);

        var result = MimProcess.Run(
            Timeout, "finetune", "--config", RepositoryFiles.Path("configs", "finetune", "unit.json"), "--data", Path.Combine(data, "dataset.json"),
            "--out", Path.Combine(_folder, "run"), "--steps", "1", "--pretrained", pretrainRun, "--freeze-encoder");
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Matches(@"encoder weights from .*model\.safetensors: \d+ loaded", result.StdOut);
        Assert.Contains("dropped decoder_pred.weight", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Finetune_help_names_the_options()
    {
        var help = MimProcess.Run(Timeout, "finetune", "--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var option in new[] { "--config", "--resume", "--pretrained", "--freeze-encoder", "--device" })
        {
            Assert.Contains(option, help.StdOut, StringComparison.Ordinal);
        }
    }
}
