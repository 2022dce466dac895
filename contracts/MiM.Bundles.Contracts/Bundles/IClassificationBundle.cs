using MiM.Bundles.Contracts.Results;

namespace MiM.Bundles.Contracts.Bundles;

/// <summary>A classification head: a volume (and its shared features) in, class probabilities out.</summary>
public interface IClassificationBundle : IBundle
{
    /// <summary>Classifies one series.</summary>
    Task<ClassificationResult> ClassifyAsync(BundleInput input, CancellationToken cancellationToken);
}
