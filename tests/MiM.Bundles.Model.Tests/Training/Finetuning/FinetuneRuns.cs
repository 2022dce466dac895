using MiM.Bundles.Model.Training.Finetuning;
using Microsoft.Extensions.Logging.Abstractions;

namespace MiM.Bundles.Model.Tests.Training.Finetuning;

/// <summary>The shipped fine-tuning recipes pointed at a test's data and run folder.</summary>
internal static class FinetuneRuns
{
    public static FinetuneConfig Recipe(string name, string dataset, string runFolder, long steps, int validateEvery, int checkpointEvery)
    {
        var config = FinetuneConfig.Load(RepositoryFiles.Path("configs", "finetune", name + ".json"));
        return config with
        {
            Data = config.Data with { Dataset = dataset },
            Validation = config.Validation with { Every = validateEvery },
            Output = config.Output with { Directory = runFolder, CheckpointEvery = checkpointEvery, KeepCheckpoints = 20, LogEvery = 1 },
            Optimizer = config.Optimizer with { TotalSteps = steps, WarmupSteps = Math.Min(config.Optimizer.WarmupSteps, steps) },
        };
    }

    public static FinetuneResult Run(
        FinetuneConfig config, bool resume = false, IProgress<FinetuneProgress>? progress = null, CancellationToken cancellation = default)
    {
        using var data = FinetuneDataset.Open(config);
        return new FineTuner(config, data, NullLogger.Instance).Run(resume, progress, cancellation);
    }

    public static string NewRunFolder() => Path.Combine(Path.GetTempPath(), "mim-ft-run-" + Guid.NewGuid().ToString("N"));
}
