using MiM.Bundles.Model.Training;
using Microsoft.Extensions.Logging.Abstractions;

namespace MiM.Bundles.Model.Tests.Training;

/// <summary>Shipped recipes adapted to a test's data and run folder.</summary>
internal static class TrainingRuns
{
    public static PretrainConfig Recipe(string name, string data, string runFolder, long steps, int checkpointEvery)
    {
        var config = PretrainConfig.Load(RepositoryFiles.Path("configs", "pretrain", name + ".json"));
        return config with
        {
            Data = config.Data with { Source = data },
            Output = config.Output with { Directory = runFolder, CheckpointEvery = checkpointEvery, KeepCheckpoints = 10 },
            Optimizer = config.Optimizer with { TotalSteps = steps, WarmupSteps = Math.Min(config.Optimizer.WarmupSteps, steps) },
        };
    }

    public static PretrainResult Run(PretrainConfig config, bool resume = false) =>
        new MimPretrainer(config, NullLogger.Instance).Run(resume);

    public static string NewRunFolder() => Path.Combine(Path.GetTempPath(), "mim-run-" + Guid.NewGuid().ToString("N"));
}
