namespace MiM.Bundles.Contracts.Results;

/// <summary>One class and the probability the model gave it.</summary>
/// <param name="Class">What the class means, coded.</param>
/// <param name="Probability">In [0, 1].</param>
public sealed record ClassProbability(CodedConcept Class, double Probability);

/// <summary>What a classification head concluded for one series, and which model said so.</summary>
/// <param name="ModelName">The bundle's name.</param>
/// <param name="ModelVersion">The bundle's semantic version.</param>
/// <param name="Probabilities">Every class with its probability, in the head's output order.</param>
public sealed record ClassificationResult(
    string ModelName,
    string ModelVersion,
    IReadOnlyList<ClassProbability> Probabilities)
{
    /// <summary>The class with the highest probability.</summary>
    public ClassProbability MostLikely =>
        Probabilities.Count == 0
            ? throw new InvalidOperationException("A classification result without classes has no most likely class.")
            : Probabilities.MaxBy(p => p.Probability)!;
}
