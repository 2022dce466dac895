using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Contracts.Bundles;

/// <summary>What a head receives for one series.</summary>
/// <param name="Volume">The series as a volume (CT: Hounsfield units, LPS geometry).</param>
/// <param name="Features">
/// The shared encoder's features of <paramref name="Volume"/> when the head requires an encoder; null for a head that
/// carries its own encoder or needs none. The head must not dispose them: other heads may read them after it.
/// </param>
public sealed record BundleInput(Volume Volume, IEncodedFeatures? Features = null);
