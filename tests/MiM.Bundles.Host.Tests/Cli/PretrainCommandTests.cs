using TorchSharp.PyBridge;

namespace MiM.Bundles.Host.Tests.Cli;

public sealed class PretrainCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mim-cli-pretrain-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Pretrain_reports_progress_resumes_and_its_weights_embed_a_volume()
    {
        var data = Path.Combine(_folder, "data");
        var run = Path.Combine(_folder, "run");
        Assert.Equal(0, MimProcess.Run(Timeout, "phantom", "--out", data, "--count", "2", "--size", "64").ExitCode);
        var recipe = RepositoryFiles.Path("configs", "pretrain", "unit.json");

        var first = MimProcess.Run(Timeout, "pretrain", "--config", recipe, "--data", data, "--out", run, "--steps", "2");
        Assert.True(first.ExitCode == 0, first.StdOut + first.StdErr);
        Assert.Contains("step 2/2  loss", first.StdOut, StringComparison.Ordinal);
        Assert.Contains("steps/s  ETA", first.StdOut, StringComparison.Ordinal);

        var again = MimProcess.Run(Timeout, "pretrain", "--config", recipe, "--data", data, "--out", run, "--steps", "3");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("--resume", again.StdErr, StringComparison.Ordinal);

        var resumed = MimProcess.Run(Timeout, "pretrain", "--config", recipe, "--data", data, "--out", run, "--steps", "3", "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.StdOut + resumed.StdErr);
        Assert.Contains("step 3/3", resumed.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("step 1/3", resumed.StdOut, StringComparison.Ordinal);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length);

        var features = Path.Combine(_folder, "features.safetensors");
        var volume = Directory.GetFiles(Path.Combine(data, "imagesTr"))[0];
        var embed = MimProcess.Run(Timeout, "features", "--weights", Path.Combine(run, "model.safetensors"), "--input", volume, "--out", features);
        Assert.True(embed.ExitCode == 0, embed.StdOut + embed.StdErr);
        var tensors = Safetensors.LoadStateDict(features);
        Assert.Equal([96L, 4, 4, 4], tensors["features"].shape);
        Assert.Equal([96L], tensors["embedding"].shape);
    }

    [Fact]
    public void Ctrl_c_finishes_the_step_writes_a_checkpoint_and_resume_continues_from_it()
    {
        var data = Path.Combine(_folder, "data");
        var run = Path.Combine(_folder, "run");
        Assert.Equal(0, MimProcess.Run(Timeout, "phantom", "--out", data, "--count", "1", "--size", "64").ExitCode);
        var recipe = RepositoryFiles.Path("configs", "pretrain", "unit.json");

        var interrupted = MimProcess.RunAndInterrupt(
            Timeout, output => output.Contains("step 2/", StringComparison.Ordinal), "pretrain", "--config", recipe, "--data", data, "--out", run, "--steps", "1000");
        Assert.True(interrupted.ExitCode == 130, interrupted.StdOut + interrupted.StdErr);
        Assert.Contains("Stopped at step", interrupted.StdOut, StringComparison.Ordinal);
        var latest = File.ReadAllText(Path.Combine(run, "checkpoints", "latest")).Trim();
        var stoppedAt = long.Parse(latest["step_".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(stoppedAt >= 2, latest);

        var resumed = MimProcess.Run(Timeout, "pretrain", "--config", recipe, "--data", data, "--out", run, "--steps", (stoppedAt + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.StdOut + resumed.StdErr);
        Assert.Contains($"step {stoppedAt + 1}/{stoppedAt + 1}", resumed.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Pretrain_with_a_broken_recipe_names_the_file_and_the_setting()
    {
        Directory.CreateDirectory(_folder);
        var recipe = Path.Combine(_folder, "bad.json");
        File.WriteAllText(recipe, """{ "optimizer": { "totalSteps": -1 }, "data": { "source": "x" } }""");
        var result = MimProcess.Run(Timeout, "pretrain", "--config", recipe);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(recipe, result.StdErr, StringComparison.Ordinal);
        Assert.Contains("totalSteps", result.StdErr, StringComparison.Ordinal);
    }
}
