namespace MiM.Bundles.Contracts.Bundles;

/// <summary>
/// The entry point of a bundle plugin assembly: the host creates every public, non-abstract class that implements
/// this interface (through its public parameterless constructor) and asks it for the kinds it implements.
/// One provider may serve several kinds (the built-in one serves the encoder and both head kinds).
/// </summary>
public interface IBundleProvider
{
    /// <summary>The bundle kinds this provider implements, e.g. "mim-encoder"; metadata.json's <c>kind</c> names one.</summary>
    IReadOnlyCollection<string> Kinds { get; }

    /// <summary>
    /// Checks a bundle of one of <see cref="Kinds"/> without loading its weights: reads its configuration and says which
    /// weight tensors (names and shapes) its network expects in which file, and any problem found on the way.
    /// The host compares the expectation with the safetensors headers, so a plugin never parses weights to be validated.
    /// </summary>
    /// <param name="context">The bundle's folder and settings; <see cref="BundleContext.Device"/> is "cpu" when validating.</param>
    BundleDescription Describe(BundleContext context);

    /// <summary>Loads a bundle of one of <see cref="Kinds"/> onto <see cref="BundleContext.Device"/>.</summary>
    /// <returns>An <see cref="IEncoderBundle"/>, <see cref="ISegmentationBundle"/> or <see cref="IClassificationBundle"/>.</returns>
    /// <exception cref="BundleLoadException">The bundle cannot be loaded; the message says why.</exception>
    IBundle Load(BundleContext context);
}
