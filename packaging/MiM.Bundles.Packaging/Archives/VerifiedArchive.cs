using MiM.Bundles.Packaging.Bundles;
using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Packaging.Archives;

/// <summary>What an intact, trusted archive (or installed bundle) is: its manifest, signer and metadata.</summary>
/// <param name="Manifest">The signed manifest.</param>
/// <param name="ManifestBytes">The manifest's exact bytes (what the signature covers).</param>
/// <param name="SignatureBytes">The manifest.sig bytes.</param>
/// <param name="Publisher">The trusted key that signed it.</param>
/// <param name="Metadata">The fields of configs/metadata.json, agreeing with the manifest.</param>
public sealed record VerifiedArchive(
    ArchiveManifest Manifest,
    byte[] ManifestBytes,
    byte[] SignatureBytes,
    TrustedPublisher Publisher,
    BundleMetadata Metadata);
