using MiM.Bundles.Packaging.Keys;

namespace MiM.Bundles.Packaging.Trust;

/// <summary>A publisher key the site trusts, with what it may sign.</summary>
/// <param name="Key">The public key and its signed id and expiry.</param>
/// <param name="Bundles">The bundle ids it may publish.</param>
/// <param name="MaySignIndex">Whether it may sign repository indexes.</param>
public sealed record TrustedPublisher(PublisherKey Key, IReadOnlyList<BundleIdPattern> Bundles, bool MaySignIndex)
{
    /// <summary>True when the key may publish <paramref name="bundleId"/>.</summary>
    public bool MayPublish(string bundleId) => Bundles.Any(pattern => pattern.Matches(bundleId));
}
