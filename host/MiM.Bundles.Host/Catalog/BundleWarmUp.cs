using MiM.Bundles.Contracts.Bundles;
using Semver;

namespace MiM.Bundles.Host.Catalog;

/// <summary>Warms a loaded bundle up: its own <see cref="IBundle.WarmUpAsync"/>, then one real inference on <see cref="SyntheticVolume"/>.</summary>
internal static class BundleWarmUp
{
    /// <summary>Runs the warm-up; a head with a shared encoder is given the features of the serving encoder it requires.</summary>
    /// <exception cref="InvalidOperationException">A shared head's encoder is not serving.</exception>
    public static async Task RunAsync(BundleVersion version, BundleCatalog catalog, CancellationToken cancellationToken)
    {
        var bundle = version.Bundle!;
        await bundle.WarmUpAsync(cancellationToken).ConfigureAwait(false);
        var volume = SyntheticVolume.Create();
        switch (bundle)
        {
            case IEncoderBundle encoder:
                using (await encoder.EncodeAsync(volume, cancellationToken).ConfigureAwait(false))
                {
                }

                break;
            case ISegmentationBundle or IClassificationBundle:
                using (var features = await SharedFeaturesAsync(version, catalog, volume, cancellationToken).ConfigureAwait(false))
                {
                    var input = new BundleInput(volume, features);
                    if (bundle is ISegmentationBundle segmentation)
                    {
                        var labels = await segmentation.SegmentAsync(input, cancellationToken).ConfigureAwait(false);
                        if (!labels.Geometry.IsSameGrid(volume.Geometry))
                        {
                            throw new InvalidOperationException("the label map of the warm-up volume is not on the volume's grid");
                        }
                    }
                    else
                    {
                        await ((IClassificationBundle)bundle).ClassifyAsync(input, cancellationToken).ConfigureAwait(false);
                    }
                }

                break;
            default:
                throw new InvalidOperationException($"{bundle.GetType().Name} implements none of the encoder, segmentation or classification contracts");
        }
    }

    private static async Task<IEncodedFeatures?> SharedFeaturesAsync(BundleVersion version, BundleCatalog catalog, Contracts.Imaging.Volume volume, CancellationToken cancellationToken)
    {
        if (version.Metadata?.Requires is not { Count: > 0 } requires)
        {
            return null;
        }

        var (id, range) = requires.First();
        using var lease = catalog.AcquireEncoder(id, SemVersionRange.ParseNpm(range))
            ?? throw new InvalidOperationException($"requires encoder {id} {range}, which is not serving");
        return await ((IEncoderBundle)lease.Bundle).EncodeAsync(volume, cancellationToken).ConfigureAwait(false);
    }
}
