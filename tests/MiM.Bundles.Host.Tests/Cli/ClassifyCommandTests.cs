using System.Globalization;
using System.Text.Json;

namespace MiM.Bundles.Host.Tests.Cli;

/// <summary>The classification path end to end through the CLI: phantoms with lesions, `mim finetune` on the classify-unit recipe (8 held out, 2 trained on), `mim infer`.</summary>
public sealed class ClassifyCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mim-cli-classify-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Classification_fine_tune_prints_auc_and_infer_prints_probabilities_and_writes_a_result_json()
    {
        var data = Path.Combine(_folder, "data");
        var run = Path.Combine(_folder, "run");
        var phantoms = MimProcess.Run(Timeout, "phantom", "--out", data, "--count", "10", "--size", "32", "--seed", "500", "--lesion-fraction", "0.5");
        Assert.True(phantoms.ExitCode == 0, phantoms.StdOut + phantoms.StdErr);
        Assert.Contains("liver lesion(s)", phantoms.StdOut, StringComparison.Ordinal);
        using (var dataset = JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "dataset.json"))))
        {
            Assert.All(dataset.RootElement.GetProperty("training").EnumerateArray(), e => Assert.InRange(e.GetProperty("lesion").GetInt32(), 0, 1));
        }

        var recipe = RepositoryFiles.Path("configs", "finetune", "classify-unit.json");
        var trained = MimProcess.Run(
            Timeout, "finetune", "--config", recipe, "--data", Path.Combine(data, "dataset.json"), "--out", run, "--steps", "2", "--threads", "2");
        Assert.True(trained.ExitCode == 0, trained.StdOut + trained.StdErr);
        Assert.Contains("step 2/2  loss", trained.StdOut, StringComparison.Ordinal);
        Assert.Contains("validation at step 2: AUC", trained.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "final", "classification.json")));

        var result = Path.Combine(_folder, "result.json");
        var inferred = MimProcess.Run(
            Timeout, "infer", "--weights", Path.Combine(run, "best"), "--input", Path.Combine(data, "imagesTr", "phantom_0509.nii.gz"), "--output", result);
        Assert.True(inferred.ExitCode == 0, inferred.StdOut + inferred.StdErr);
        Assert.Contains("no_lesion", inferred.StdOut, StringComparison.Ordinal);
        Assert.Contains("most likely:", inferred.StdOut, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(File.ReadAllText(result));
        Assert.Equal("classify-unit", json.RootElement.GetProperty("model").GetProperty("name").GetString());
        var classes = json.RootElement.GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal(["17621005", "52988006"], classes.Select(c => c.GetProperty("class").GetProperty("code").GetString()));
        Assert.Equal(1.0, classes.Sum(c => c.GetProperty("probability").GetDouble()), 6);

        // The printed probabilities are the ones written.
        var lesion = classes[1].GetProperty("probability").GetDouble().ToString("F4", CultureInfo.InvariantCulture);
        Assert.Contains(lesion, inferred.StdOut, StringComparison.Ordinal);

        var noOutput = MimProcess.Run(Timeout, "infer", "--weights", Path.Combine(run, "best"), "--input", Path.Combine(data, "imagesTr", "phantom_0509.nii.gz"));
        Assert.True(noOutput.ExitCode == 0, noOutput.StdOut + noOutput.StdErr);
    }
}
