using System.Text;
using System.Text.Json;
using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Signing;
using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Packaging.Repository;

/// <summary>
/// index.json on disk: {"format": "mim-signed-index/1", "signature": {…}, "index": {…}}, the signature over the exact
/// bytes of the "index" value. One file, so a publisher's atomic rename never shows a client an index and a signature
/// from two different publishes.
/// </summary>
public static class SignedIndex
{
    /// <summary>The index file's name in a repository.</summary>
    public const string FileName = "index.json";

    /// <summary>The envelope's format tag.</summary>
    public const string EnvelopeFormat = "mim-signed-index/1";

    /// <summary>The bytes of index.json for <paramref name="index"/>, signed by <paramref name="key"/>.</summary>
    public static byte[] Write(RepositoryIndex index, PublisherSigningKey key, DateTimeOffset now)
    {
        var inner = JsonSerializer.SerializeToUtf8Bytes(index, StrictJson.Options);
        var signature = SignatureDocument.Create(key, inner, now).ToBytes();
        using var output = new MemoryStream();
        output.Write(Encoding.UTF8.GetBytes($"{{\n\"format\": \"{EnvelopeFormat}\",\n\"signature\": "));
        output.Write(signature);
        output.Write(",\n\"index\": "u8);
        output.Write(inner);
        output.Write("\n}\n"u8);
        return output.ToArray();
    }

    /// <summary>
    /// Checks index.json's signature against <paramref name="trust"/> (the key must be allowed to sign indexes) and,
    /// unless <paramref name="checkExpiry"/> is false (its publisher replacing it), that it has not expired.
    /// </summary>
    public static RepositoryIndex Read(byte[] bytes, TrustStore trust, DateTimeOffset now, bool checkExpiry = true)
    {
        ArgumentNullException.ThrowIfNull(trust);
        byte[] inner;
        SignatureDocument signature;
        try
        {
            using var document = JsonDocument.Parse(bytes, StrictJson.DocumentOptions);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String
                || format.GetString() != EnvelopeFormat)
            {
                throw new BundleRefusedException(RefusalReason.IndexRejected, $"the repository index is not a {EnvelopeFormat} document");
            }

            if (!root.TryGetProperty("signature", out var signatureElement))
            {
                throw new BundleRefusedException(RefusalReason.IndexRejected, "the repository index is not signed");
            }

            signature = SignatureDocument.Parse(Encoding.UTF8.GetBytes(signatureElement.GetRawText()));
            // GetRawText is the original text of the value: exactly the bytes that were signed.
            inner = root.TryGetProperty("index", out var indexElement)
                ? Encoding.UTF8.GetBytes(indexElement.GetRawText())
                : throw new BundleRefusedException(RefusalReason.IndexRejected, "the repository index has no \"index\"");
        }
        catch (JsonException e)
        {
            throw new BundleRefusedException(RefusalReason.IndexRejected, $"the repository index is not valid JSON: {e.Message}", e);
        }

        var publisher = trust.Verify(inner, signature, now);
        if (!publisher.MaySignIndex)
        {
            throw new BundleRefusedException(RefusalReason.KeyNotAllowed, $"key '{publisher.Key.KeyId}' is trusted for bundles but not for repository indexes");
        }

        try
        {
            var index = JsonSerializer.Deserialize<RepositoryIndex>(inner, StrictJson.Options);
            if (index is null || index.Format != RepositoryIndex.CurrentFormat || index.Releases is null)
            {
                throw new BundleRefusedException(RefusalReason.IndexRejected, $"the repository index is not a {RepositoryIndex.CurrentFormat} document");
            }

            if (checkExpiry && index.Expires is { } expires && now > expires)
            {
                throw new BundleRefusedException(RefusalReason.IndexRejected, $"the repository index expired on {expires:yyyy-MM-dd HH:mm} UTC (its publisher must run `mim repo refresh`)");
            }

            return index;
        }
        catch (JsonException e)
        {
            throw new BundleRefusedException(RefusalReason.IndexRejected, $"the repository index is malformed: {e.Message}", e);
        }
    }
}
