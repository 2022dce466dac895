using System.Text.Json;
using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Refusals;

namespace MiM.Bundles.Packaging.Signing;

/// <summary>
/// A detached signature: which key signed, and the ECDSA P-256 SHA-256 signature (IEEE P1363, base64) over the exact
/// bytes of another document (an archive's manifest.json, or a repository index). Stored as manifest.sig in archives.
/// </summary>
public sealed record SignatureDocument
{
    /// <summary>The format tag this version writes and accepts.</summary>
    public const string CurrentFormat = "mim-signature/1";

    /// <summary>Always <see cref="CurrentFormat"/>.</summary>
    public required string Format { get; init; }

    /// <summary>The signing key's id.</summary>
    public required string KeyId { get; init; }

    /// <summary>Always <see cref="PublisherKey.Algorithm"/>.</summary>
    public required string Algorithm { get; init; }

    /// <summary>Lower-case hex SHA-256 of the signing public key, so a key id reused by another key does not verify.</summary>
    public required string PublicKeySha256 { get; init; }

    /// <summary>Base64 of the 64-byte r||s signature.</summary>
    public required string Signature { get; init; }

    /// <summary>Signs <paramref name="data"/> with <paramref name="key"/>.</summary>
    public static SignatureDocument Create(PublisherSigningKey key, ReadOnlySpan<byte> data, DateTimeOffset now) => new()
    {
        Format = CurrentFormat,
        KeyId = key.KeyId,
        Algorithm = PublisherKey.Algorithm,
        PublicKeySha256 = key.PublicKey.Document.PublicKeySha256,
        Signature = Convert.ToBase64String(key.Sign(data, now)),
    };

    /// <summary>Parses a signature document; a malformed one is refused as <see cref="RefusalReason.Malformed"/>.</summary>
    public static SignatureDocument Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var document = JsonSerializer.Deserialize<SignatureDocument>(bytes, StrictJson.Options);
            if (document is null || document.Format != CurrentFormat || document.Algorithm != PublisherKey.Algorithm)
            {
                throw new BundleRefusedException(RefusalReason.Malformed, "the signature is not a mim-signature/1 ecdsa-p256-sha256 document");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new BundleRefusedException(RefusalReason.Malformed, $"the signature is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The document's bytes as stored.</summary>
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, StrictJson.Options);

    internal byte[] SignatureBytes()
    {
        try
        {
            return Convert.FromBase64String(Signature);
        }
        catch (FormatException e)
        {
            throw new BundleRefusedException(RefusalReason.BadSignature, "the signature is not base64", e);
        }
    }
}
