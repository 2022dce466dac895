using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Contracts.Bundles;

/// <summary>
/// A shared encoder: turns a volume into features that several heads consume, so a series is encoded once
/// for every head that requires this encoder.
/// </summary>
public interface IEncoderBundle : IBundle
{
    /// <summary>The format of the features this encoder produces (e.g. "mim-hidden-states/1"); heads declare the format they read.</summary>
    string FeatureFormat { get; }

    /// <summary>Encodes <paramref name="volume"/>. The caller owns the result and disposes it when every head is done.</summary>
    Task<IEncodedFeatures> EncodeAsync(Volume volume, CancellationToken cancellationToken);
}
