using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Classification;

/// <summary>One optimiser step's training volumes and their classes.</summary>
/// <param name="Images">[B, 1, S, S, S] intensities ([i, j, k] spatial order), on the CPU.</param>
/// <param name="Classes">[B] class indices (int64), on the CPU.</param>
public sealed record ClassificationBatch(Tensor Images, Tensor Classes) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        Images.Dispose();
        Classes.Dispose();
    }
}

/// <summary>A held-out case, preprocessed to the network's ROI.</summary>
/// <param name="Name">File name of the image, for reports.</param>
/// <param name="Image">[1, 1, S, S, S] intensities.</param>
/// <param name="Class">The true class.</param>
public sealed record ClassificationCase(string Name, Tensor Image, int Class);

/// <summary>The classified data of a classification fine-tuning run.</summary>
public interface IClassificationData
{
    /// <summary>Cases training batches are drawn from.</summary>
    int TrainingCaseCount { get; }

    /// <summary>Held-out cases, classified at each validation.</summary>
    IReadOnlyList<ClassificationCase> ValidationCases { get; }

    /// <summary>The volumes of optimiser step <paramref name="stepIndex"/> (0-based): a pure function of the run's seed and the step, so a resumed run draws what an uninterrupted one draws.</summary>
    ClassificationBatch TrainingBatch(long stepIndex);
}
