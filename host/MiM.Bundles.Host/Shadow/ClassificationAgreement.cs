using MiM.Bundles.Contracts.Results;

namespace MiM.Bundles.Host.Shadow;

/// <summary>Whether two classifications of one series agree: the same most likely class, and how far their probabilities differ.</summary>
public static class ClassificationAgreement
{
    /// <summary>
    /// (top class agrees, largest absolute probability difference over the classes of either result). Classes are
    /// matched by code value and coding scheme, not by meaning text; a class one result lacks counts as probability 0.
    /// </summary>
    public static (bool TopClassAgrees, double MaxProbabilityDifference) Compare(ClassificationResult serving, ClassificationResult shadow)
    {
        ArgumentNullException.ThrowIfNull(serving);
        ArgumentNullException.ThrowIfNull(shadow);
        var agrees = Key(serving.MostLikely.Class) == Key(shadow.MostLikely.Class);
        var a = serving.Probabilities.ToDictionary(p => Key(p.Class), p => p.Probability);
        var b = shadow.Probabilities.ToDictionary(p => Key(p.Class), p => p.Probability);
        var difference = a.Keys.Union(b.Keys).Max(k => Math.Abs(a.GetValueOrDefault(k) - b.GetValueOrDefault(k)));
        return (agrees, difference);
    }

    private static (string, string) Key(CodedConcept concept) => (concept.CodeValue, concept.CodingSchemeDesignator);
}
