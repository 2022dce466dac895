using System.Text.Json;
using MiM.Bundles.Model.Training.Checkpoints;
using MiM.Bundles.Model.Training.Finetuning;

namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>The recipe a fine-tuned model folder (RUN/best, RUN/final) was trained with, from RUN's latest checkpoint.</summary>
internal static class FinetuneRecipe
{
    /// <summary>The recipe, or null when the run folder has no readable checkpoint.</summary>
    public static FinetuneConfig? Read(string modelFolder)
    {
        var run = Path.GetDirectoryName(Path.GetFullPath(modelFolder).TrimEnd(Path.DirectorySeparatorChar));
        if (run is null)
        {
            return null;
        }

        try
        {
            return new CheckpointStore(run, keep: int.MaxValue).Latest() is { } latest
                ? FinetuneConfig.FromJson(CheckpointStore.ReadState(latest).ConfigJson)
                : null;
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException)
        {
            return null;
        }
    }
}
