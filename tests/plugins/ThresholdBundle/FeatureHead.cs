using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;

namespace ThresholdBundle;

/// <summary>A classification head on the counting encoder's features: "bright" with probability 1 when the mean exceeds 0.</summary>
internal sealed class FeatureHead : IClassificationBundle
{
    public BundleMemory EstimateMemory(GridSize input) => new(0, 0);

    public Task WarmUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<ClassificationResult> ClassifyAsync(BundleInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Features is not { Format: CountingEncoder.Format, Payload: double mean })
        {
            throw new InvalidOperationException("the feature head needs the counting encoder's features");
        }

        var bright = mean > 0 ? 1.0 : 0.0;
        return Task.FromResult(new ClassificationResult(
            "feature-head", "1.0.0", [new(CodedConcept.Snomed("263654008", "Abnormal"), bright), new(CodedConcept.Snomed("17621005", "Normal"), 1 - bright)]));
    }

    public void Dispose()
    {
    }
}
