using System.Text.Json;

namespace MiM.Bundles.Packaging.Keys;

/// <summary>
/// What a publisher states about its key, signed with the key itself and carried in both the .key and .pub files:
/// the key's id, when it was made, when it expires and the SHA-256 of its public key (so the document cannot be moved
/// onto another key). See docs/distribution.md, "Publisher keys".
/// </summary>
public sealed record PublisherKeyDocument
{
    /// <summary>The format tag this version writes and accepts.</summary>
    public const string CurrentFormat = "mim-publisher-key/1";

    /// <summary>Always <see cref="CurrentFormat"/>.</summary>
    public required string Format { get; init; }

    /// <summary>The key's id, e.g. "acme-2026"; signatures name it.</summary>
    public required string KeyId { get; init; }

    /// <summary>Always "ecdsa-p256-sha256".</summary>
    public required string Algorithm { get; init; }

    /// <summary>When the key was made (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>After this instant no signature by the key is accepted.</summary>
    public required DateTimeOffset Expires { get; init; }

    /// <summary>Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo.</summary>
    public required string PublicKeySha256 { get; init; }

    internal byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, StrictJson.Options);

    internal static PublisherKeyDocument Parse(byte[] bytes)
    {
        PublisherKeyDocument document;
        try
        {
            document = JsonSerializer.Deserialize<PublisherKeyDocument>(bytes, StrictJson.Options)
                ?? throw new FormatException("the key document is empty");
        }
        catch (JsonException e)
        {
            throw new FormatException($"the key document is not valid: {e.Message}", e);
        }

        if (document.Format != CurrentFormat || document.Algorithm != PublisherKey.Algorithm)
        {
            throw new FormatException($"unsupported key document {document.Format}/{document.Algorithm}");
        }

        if (!Keys.KeyId.IsValid(document.KeyId))
        {
            throw new FormatException($"invalid key id '{document.KeyId}'");
        }

        return document;
    }
}
