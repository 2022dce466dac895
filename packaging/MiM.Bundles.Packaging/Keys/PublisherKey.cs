using System.Security.Cryptography;
using System.Text;

namespace MiM.Bundles.Packaging.Keys;

/// <summary>
/// A publisher's public key with its signed key document, as read from a .pub file: verifies signatures. The file is
/// three PEM blocks: PUBLIC KEY (SubjectPublicKeyInfo, readable by openssl), MIM KEY DOCUMENT and MIM KEY DOCUMENT
/// SIGNATURE (ECDSA P-256 SHA-256 over the document bytes by the key itself).
/// </summary>
public sealed class PublisherKey : IDisposable
{
    /// <summary>The one signature algorithm: ECDSA on P-256 with SHA-256, signatures as IEEE P1363 r||s (64 bytes).</summary>
    public const string Algorithm = "ecdsa-p256-sha256";

    internal const string PublicKeyLabel = "PUBLIC KEY";
    internal const string DocumentLabel = "MIM KEY DOCUMENT";
    internal const string DocumentSignatureLabel = "MIM KEY DOCUMENT SIGNATURE";

    private readonly ECDsa key;

    private PublisherKey(ECDsa key, PublisherKeyDocument document, byte[] documentBytes, byte[] documentSignature)
    {
        this.key = key;
        Document = document;
        DocumentBytes = documentBytes;
        DocumentSignature = documentSignature;
    }

    /// <summary>The key's id, creation and expiry, as the publisher signed them.</summary>
    public PublisherKeyDocument Document { get; }

    /// <summary>The key's id (shortcut for <c>Document.KeyId</c>).</summary>
    public string KeyId => Document.KeyId;

    /// <summary>"sha256:" and the lower-case hex SHA-256 of the public key: the form revocation lists may use.</summary>
    public string Fingerprint => "sha256:" + Document.PublicKeySha256;

    internal byte[] DocumentBytes { get; }

    internal byte[] DocumentSignature { get; }

    /// <summary>Reads a .pub file.</summary>
    /// <exception cref="FormatException">The file is not a valid publisher key, or its document is not signed by it.</exception>
    public static PublisherKey Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses the text of a .pub (or .key: the public half is taken) file.</summary>
    public static PublisherKey Parse(string text, string source)
    {
        var blocks = PemBlocks.Parse(text, source);
        var documentBytes = blocks.Required(DocumentLabel, source);
        var signature = blocks.Required(DocumentSignatureLabel, source);
        var document = PublisherKeyDocument.Parse(documentBytes);
        var ecdsa = ECDsa.Create();
        try
        {
            // A .key file carries no PUBLIC KEY block: its public half is derived from the private key.
            var spki = blocks.Optional(PublicKeyLabel) ?? PublicHalf(blocks.Required(PublisherSigningKey.PrivateKeyLabel, source));
            ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
            if (ecdsa.KeySize != 256 || ecdsa.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new FormatException($"{source}: the key is not ECDSA P-256");
            }

            if (Convert.ToHexStringLower(SHA256.HashData(spki)) != document.PublicKeySha256)
            {
                throw new FormatException($"{source}: the key document belongs to another key");
            }

            if (!ecdsa.VerifyData(documentBytes, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                throw new FormatException($"{source}: the key document's self-signature does not verify");
            }

            return new PublisherKey(ecdsa, document, documentBytes, signature);
        }
        catch (CryptographicException e)
        {
            ecdsa.Dispose();
            throw new FormatException($"{source}: not a readable ECDSA key ({e.Message})", e);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    private static byte[] PublicHalf(byte[] pkcs8)
    {
        using var privateKey = ECDsa.Create();
        privateKey.ImportPkcs8PrivateKey(pkcs8, out _);
        return privateKey.ExportSubjectPublicKeyInfo();
    }

    /// <summary>True when <paramref name="signature"/> is this key's signature of <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>The .pub file's text.</summary>
    public string ToPem()
    {
        var text = new StringBuilder();
        text.Append(PemEncoding.WriteString(PublicKeyLabel, key.ExportSubjectPublicKeyInfo())).Append('\n');
        text.Append(PemEncoding.WriteString(DocumentLabel, DocumentBytes)).Append('\n');
        text.Append(PemEncoding.WriteString(DocumentSignatureLabel, DocumentSignature)).Append('\n');
        return text.ToString();
    }

    /// <inheritdoc />
    public void Dispose() => key.Dispose();
}
