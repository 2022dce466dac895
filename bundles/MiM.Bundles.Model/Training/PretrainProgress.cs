namespace MiM.Bundles.Model.Training;

/// <summary>What the pre-training loop reports after each logged step.</summary>
/// <param name="Step">Optimiser steps completed.</param>
/// <param name="TotalSteps">Optimiser steps in the run.</param>
/// <param name="Loss">This step's loss terms.</param>
/// <param name="LearningRate">Learning rate used for the step.</param>
/// <param name="StepsPerSecond">Throughput over the steps of this session.</param>
/// <param name="Eta">Estimated time to the end of the run.</param>
/// <param name="CheckpointWritten">The checkpoint folder written after this step, if any.</param>
public sealed record PretrainProgress(
    long Step,
    long TotalSteps,
    LossBreakdown Loss,
    double LearningRate,
    double StepsPerSecond,
    TimeSpan Eta,
    string? CheckpointWritten);

/// <summary>How a run ended.</summary>
/// <param name="StepsCompleted">Optimiser steps completed in total.</param>
/// <param name="FinalWeights">model.safetensors of the run's last checkpoint.</param>
/// <param name="MetricsCsv">The metrics file.</param>
/// <param name="SkippedInputs">Input files that could not be read, with the reason.</param>
/// <param name="Cancelled">True when the run stopped early on request (a checkpoint was written).</param>
public sealed record PretrainResult(
    long StepsCompleted,
    string FinalWeights,
    string MetricsCsv,
    IReadOnlyDictionary<string, string> SkippedInputs,
    bool Cancelled);

/// <summary>A step produced a NaN or infinite loss; the run stopped before updating any weight.</summary>
public sealed class NonFiniteLossException(string message) : Exception(message);
