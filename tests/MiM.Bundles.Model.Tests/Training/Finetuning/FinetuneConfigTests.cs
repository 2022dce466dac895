using System.Text.Json;
using MiM.Bundles.Model.Training.Finetuning;

namespace MiM.Bundles.Model.Tests.Training.Finetuning;

public sealed class FinetuneConfigTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mim-ft-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("unit")]
    [InlineData("smoke")]
    public void Shipped_recipes_load_and_their_pipeline_files_resolve_next_to_the_recipe(string name)
    {
        var config = FinetuneConfig.Load(RepositoryFiles.Path("configs", "finetune", name + ".json"));
        Assert.Equal(name, config.Name);
        Assert.Equal(1e-5, config.Optimizer.WeightDecay);
        foreach (var pipeline in new[] { config.Data.TrainingTransforms, config.Data.ValidationTransforms })
        {
            var path = pipeline!.Value.GetString()!;
            Assert.True(Path.IsPathRooted(path) && File.Exists(path), path);
        }

        Assert.Contains("RandCropByPosNegLabel", FinetuneDataset.PipelineJson(config.Data.TrainingTransforms, "t"), StringComparison.Ordinal);
        Assert.Equal(config.Downstream.Classes, config.ClassNames.Count);
    }

    [Fact]
    public void A_broken_recipe_names_the_file_and_every_bad_setting()
    {
        var path = Path.Combine(_folder, "bad.json");
        File.WriteAllText(path, """
            { "downstream": { "classes": 3, "roi": 32 }, "network": { "inputSize": 32, "embedDims": [12, 24, 48, 96], "depths": [1, 1, 1, 2], "numHeads": 3 },
              "data": { "dataset": "x.json", "labels": [1] }, "optimizer": { "totalSteps": 0 }, "precision": "fp8" }
            """);
        var error = Assert.Throws<InvalidDataException>(() => FinetuneConfig.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("data.labels lists 1 label(s) but downstream.classes is 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("optimizer.totalSteps", error.Message, StringComparison.Ordinal);
        Assert.Contains("precision must be fp32, bf16 or fp16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recipe_round_trips_through_its_checkpoint_json()
    {
        var config = FinetuneConfig.Load(RepositoryFiles.Path("configs", "finetune", "unit.json"));
        var again = FinetuneConfig.FromJson(config.ToJson());
        Assert.Equal(config.Downstream, again.Downstream);
        Assert.Equal(JsonSerializer.Serialize(config.Network), JsonSerializer.Serialize(again.Network));
        Assert.Equal(config.Data.Labels, again.Data.Labels);
    }
}
