namespace MiM.Bundles.Model.Training.Finetuning;

/// <summary>The held-out Dice after one validation.</summary>
/// <param name="Step">Optimiser steps completed when it ran.</param>
/// <param name="ClassDice">Dice of classes 1, 2, … (no background), averaged over the validation cases; NaN where a class is absent.</param>
/// <param name="MeanDice">Mean Dice without background: the number the best model is chosen by.</param>
/// <param name="IsBest">True when this validation set a new best and the best model folder was written.</param>
public sealed record FinetuneValidation(long Step, IReadOnlyList<double> ClassDice, double MeanDice, bool IsBest);

/// <summary>What the fine-tuning loop reports after each logged step.</summary>
/// <param name="Step">Optimiser steps completed.</param>
/// <param name="TotalSteps">Optimiser steps in the run.</param>
/// <param name="Loss">DiceCE total of the step.</param>
/// <param name="DiceLoss">The Dice term.</param>
/// <param name="CrossEntropy">The cross-entropy term.</param>
/// <param name="LearningRate">Learning rate used for the step.</param>
/// <param name="StepsPerSecond">Throughput over the steps of this session.</param>
/// <param name="Eta">Estimated time to the end of the run.</param>
/// <param name="Validation">The validation run after this step, if any.</param>
/// <param name="CheckpointWritten">The checkpoint folder written after this step, if any.</param>
public sealed record FinetuneProgress(
    long Step,
    long TotalSteps,
    double Loss,
    double DiceLoss,
    double CrossEntropy,
    double LearningRate,
    double StepsPerSecond,
    TimeSpan Eta,
    FinetuneValidation? Validation,
    string? CheckpointWritten);

/// <summary>How a fine-tuning run ended.</summary>
/// <param name="StepsCompleted">Optimiser steps completed in total.</param>
/// <param name="BestModel">The best model folder (segmentation.json + model.safetensors), or null when no validation ran.</param>
/// <param name="BestDice">Its mean validation Dice without background (NaN when none).</param>
/// <param name="BestStep">The step it was taken at (0 when none).</param>
/// <param name="LastModel">The model folder of the final weights, or null when the run was cancelled.</param>
/// <param name="Cancelled">True when the run stopped early on request (a checkpoint was written).</param>
public sealed record FinetuneResult(long StepsCompleted, string? BestModel, double BestDice, long BestStep, string? LastModel, bool Cancelled);
