namespace MiM.Bundles.Model.Training.Finetuning;

/// <summary>What a fine-tuning recipe trains (the recipe's <c>task</c>: "segmentation" or "classification").</summary>
public enum FinetuneTask
{
    /// <summary>A segmentation network on label maps (<see cref="FineTuner"/>).</summary>
    Segmentation,

    /// <summary>A classification network on a per-case label of dataset.json (<see cref="Classification.ClassificationFineTuner"/>).</summary>
    Classification,
}
