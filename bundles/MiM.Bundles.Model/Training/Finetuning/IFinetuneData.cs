using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Finetuning;

/// <summary>One optimiser step's training crops.</summary>
/// <param name="Images">[B, 1, S, S, S] intensities ([i, j, k] spatial order), on the CPU.</param>
/// <param name="Labels">[B, 1, S, S, S] class indices (int64), on the CPU.</param>
public sealed record FinetuneBatch(Tensor Images, Tensor Labels) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}

/// <summary>A held-out case, preprocessed for the network.</summary>
/// <param name="Name">File name of the image, for reports.</param>
/// <param name="Image">[I, J, K] intensities (<see cref="Data.VolumeTensors"/> layout).</param>
/// <param name="Labels">[I, J, K] class indices (int64) on the same grid.</param>
public sealed record ValidationCase(string Name, Tensor Image, Tensor Labels);

/// <summary>The labelled data of a fine-tuning run.</summary>
public interface IFinetuneData
{
    /// <summary>Labelled cases training crops are drawn from.</summary>
    int TrainingCaseCount { get; }

    /// <summary>Held-out cases, segmented whole at each validation.</summary>
    IReadOnlyList<ValidationCase> ValidationCases { get; }

    /// <summary>The crops of optimiser step <paramref name="stepIndex"/> (0-based): a pure function of the run's seed and the step, so a resumed run draws what an uninterrupted one draws.</summary>
    FinetuneBatch TrainingBatch(long stepIndex);
}
