using MiM.Bundles.Contracts.Bundles;

namespace MiM.Bundles.Standard;

/// <summary>Checks that a head gets shared features exactly when it needs them.</summary>
internal static class SharedFeatures
{
    /// <exception cref="InvalidOperationException">A shared head got no features, or a head with its own encoder got some.</exception>
    public static void Check(NetworkDefinition definition, BundleInput input)
    {
        if (definition.EmbeddedEncoder && input.Features is not null)
        {
            throw new InvalidOperationException("this head carries its own encoder and takes no shared features");
        }

        // Without features a shared head would run its never-loaded backbone: refuse rather than answer wrongly.
        if (!definition.EmbeddedEncoder && input.Features is null)
        {
            throw new InvalidOperationException($"this head needs the features of its shared encoder ({StandardKinds.FeatureFormat})");
        }
    }
}
