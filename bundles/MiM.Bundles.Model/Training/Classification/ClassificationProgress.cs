namespace MiM.Bundles.Model.Training.Classification;

/// <summary>The held-out metrics after one validation.</summary>
/// <param name="Step">Optimiser steps completed when it ran.</param>
/// <param name="Auc">Area under the ROC curve of class 1's probability (NaN when the held-out cases are all one class).</param>
/// <param name="Accuracy">Fraction of held-out cases whose most probable class is the true one.</param>
/// <param name="Loss">Mean cross-entropy over the held-out cases.</param>
/// <param name="IsBest">True when this validation set a new best (AUC, then accuracy) and the best model folder was written.</param>
public sealed record ClassificationValidation(long Step, double Auc, double Accuracy, double Loss, bool IsBest);

/// <summary>What the classification fine-tuning loop reports after each logged step.</summary>
/// <param name="Step">Optimiser steps completed.</param>
/// <param name="TotalSteps">Optimiser steps in the run.</param>
/// <param name="Loss">Cross-entropy of the step's batch.</param>
/// <param name="LearningRate">Learning rate used for the step.</param>
/// <param name="StepsPerSecond">Throughput over the steps of this session.</param>
/// <param name="Eta">Estimated time to the end of the run.</param>
/// <param name="Validation">The validation run after this step, if any.</param>
/// <param name="CheckpointWritten">The checkpoint folder written after this step, if any.</param>
public sealed record ClassificationProgress(
    long Step,
    long TotalSteps,
    double Loss,
    double LearningRate,
    double StepsPerSecond,
    TimeSpan Eta,
    ClassificationValidation? Validation,
    string? CheckpointWritten);

/// <summary>How a classification fine-tuning run ended.</summary>
/// <param name="StepsCompleted">Optimiser steps completed in total.</param>
/// <param name="BestModel">The best model folder (classification.json + model.safetensors), or null when no validation ran.</param>
/// <param name="BestAuc">Its validation AUC (NaN when none or undefined).</param>
/// <param name="BestAccuracy">Its validation accuracy (NaN when none).</param>
/// <param name="BestStep">The step it was taken at (0 when none).</param>
/// <param name="LastModel">The model folder of the final weights, or null when the run was cancelled.</param>
/// <param name="Cancelled">True when the run stopped early on request (a checkpoint was written).</param>
public sealed record ClassificationResultSummary(
    long StepsCompleted, string? BestModel, double BestAuc, double BestAccuracy, long BestStep, string? LastModel, bool Cancelled);
