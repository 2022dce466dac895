using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Signing;
using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Packaging.Archives;

/// <summary>
/// Checks that a .mimb is intact and trusted: signed by a trusted, unrevoked, unexpired key allowed for the bundle id,
/// every byte as the manifest says, nothing extra, nothing unsafe. Streams every file once; memory stays flat.
/// </summary>
public sealed class ArchiveVerifier
{
    private readonly TrustStore trust;
    private readonly VerificationLimits limits;
    private readonly TimeProvider clock;

    /// <summary>A verifier for <paramref name="trust"/>, with <paramref name="limits"/> (defaults when null) and a clock for key expiry.</summary>
    public ArchiveVerifier(TrustStore trust, VerificationLimits? limits = null, TimeProvider? clock = null)
    {
        this.trust = trust;
        this.limits = limits ?? VerificationLimits.Default;
        this.clock = clock ?? TimeProvider.System;
    }

    /// <summary>Verifies <paramref name="archivePath"/>; returns what it holds or throws <see cref="BundleRefusedException"/>.</summary>
    public VerifiedArchive Verify(string archivePath) => Read(archivePath, null, null);

    internal VerifiedArchive Read(string archivePath, Action<ArchiveManifest>? beforeFiles, Func<string, Stream>? sink)
    {
        TrustedPublisher? signer = null;
        var (manifest, manifestBytes, signatureBytes, _, metadata) = ArchiveReader.Read(
            archivePath,
            limits,
            (bytes, signature) => signer = Authenticate(bytes, signature),
            read =>
            {
                RequireAllowed(signer!, read);
                beforeFiles?.Invoke(read);
            },
            sink);
        return new VerifiedArchive(manifest, manifestBytes, signatureBytes!, signer!, metadata);
    }

    /// <summary>The signature check shared with installed bundles: a trusted, unrevoked, unexpired key signed these exact bytes.</summary>
    internal TrustedPublisher Authenticate(byte[] manifestBytes, byte[]? signatureBytes)
    {
        if (signatureBytes is null)
        {
            throw new BundleRefusedException(RefusalReason.NoSignature, "the bundle is not signed (no manifest.sig)");
        }

        return trust.Verify(manifestBytes, SignatureDocument.Parse(signatureBytes), clock.GetUtcNow());
    }

    /// <summary>Whether the signer may publish the bundle id the (authenticated) manifest names.</summary>
    internal static void RequireAllowed(TrustedPublisher publisher, ArchiveManifest manifest)
    {
        if (!publisher.MayPublish(manifest.Id))
        {
            throw new BundleRefusedException(
                RefusalReason.KeyNotAllowed,
                $"key '{publisher.Key.KeyId}' is trusted only for {string.Join(", ", publisher.Bundles)}, not for bundle '{manifest.Id}'");
        }
    }
}
