using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Training;

namespace MiM.Bundles.Model.Tests.Training;

public sealed class PretrainConfigTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"mim-config-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_file);

    [Theory]
    [InlineData("unit", 32)]
    [InlineData("smoke", 64)]
    [InlineData("full", 96)]
    public void Shipped_recipes_load_and_validate(string name, int inputSize)
    {
        var config = PretrainConfig.Load(RepositoryFiles.Path("configs", "pretrain", name + ".json"));
        Assert.Equal(name, config.Name);
        Assert.Equal(inputSize, config.Network.InputSize);
        Assert.Equal(2 * inputSize, config.CropSize);
    }

    [Fact]
    public void Full_recipe_has_the_papers_network_and_optimiser()
    {
        var config = PretrainConfig.Load(RepositoryFiles.Path("configs", "pretrain", "full.json"));
        Assert.Equal(MimNetworkConfig.Full.EmbedDims, config.Network.EmbedDims);
        Assert.Equal(MimNetworkConfig.Full.Depths, config.Network.Depths);
        Assert.Equal(4, config.Masking.Level2Count);
        Assert.Equal(4, config.Masking.Level3PerLevel2);
        Assert.Equal(0.95, config.Optimizer.Beta2);
        Assert.Equal(0.05, config.Optimizer.WeightDecay);
    }

    [Fact]
    public void An_unknown_setting_is_an_error_naming_the_file_and_the_setting()
    {
        File.WriteAllText(_file, """{ "name": "x", "optimizer": { "learningRat": 0.1 } }""");
        var error = Assert.Throws<InvalidDataException>(() => PretrainConfig.Load(_file));
        Assert.Contains(_file, error.Message, StringComparison.Ordinal);
        Assert.Contains("learningRat", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inconsistent_settings_are_listed_together()
    {
        File.WriteAllText(_file, """{ "optimizer": { "totalSteps": 0, "accumulationSteps": 0, "gradientClipNorm": 0 }, "data": { "source": "" } }""");
        var error = Assert.Throws<InvalidDataException>(() => PretrainConfig.Load(_file));
        Assert.Contains("totalSteps", error.Message, StringComparison.Ordinal);
        Assert.Contains("accumulationSteps", error.Message, StringComparison.Ordinal);
        Assert.Contains("gradientClipNorm", error.Message, StringComparison.Ordinal);
        Assert.Contains("data.source", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recipe_survives_the_json_round_trip_stored_in_checkpoints()
    {
        var config = PretrainConfig.Load(RepositoryFiles.Path("configs", "pretrain", "smoke.json"));
        var again = PretrainConfig.FromJson(config.ToJson());
        Assert.Equal(config.ToJson(), again.ToJson());
    }
}
