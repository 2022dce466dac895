using MiM.Bundles.Model.Training.Classification;
using MiM.Bundles.Model.Training.Finetuning;
using Microsoft.Extensions.Logging.Abstractions;

namespace MiM.Bundles.Model.Tests.Training.Classification;

/// <summary>The shipped classification recipe pointed at a test's data and run folder.</summary>
internal static class ClassificationRuns
{
    public static FinetuneConfig Recipe(string dataset, string runFolder, long steps, int validateEvery, int checkpointEvery, int validationCases = 4)
    {
        var config = FinetuneConfig.Load(RepositoryFiles.Path("configs", "finetune", "classify-unit.json"));
        return config with
        {
            Data = config.Data with { Dataset = dataset, ValidationCases = validationCases },
            Validation = config.Validation with { Every = validateEvery },
            Output = config.Output with { Directory = runFolder, CheckpointEvery = checkpointEvery, KeepCheckpoints = 20, LogEvery = 1 },
            Optimizer = config.Optimizer with { TotalSteps = steps, WarmupSteps = Math.Min(config.Optimizer.WarmupSteps, steps) },
        };
    }

    public static ClassificationResultSummary Run(
        FinetuneConfig config, bool resume = false, IProgress<ClassificationProgress>? progress = null, CancellationToken cancellation = default)
    {
        using var data = ClassificationDataset.Open(config);
        return new ClassificationFineTuner(config, data, NullLogger.Instance).Run(resume, progress, cancellation);
    }
}
