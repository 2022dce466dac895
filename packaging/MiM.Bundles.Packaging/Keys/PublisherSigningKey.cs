using System.Security.Cryptography;
using System.Text;

namespace MiM.Bundles.Packaging.Keys;

/// <summary>
/// A publisher's private key with its signed key document, as read from a .key file: signs manifests and indexes.
/// The file is PRIVATE KEY (PKCS#8) plus the MIM KEY DOCUMENT and its signature, and is created with mode 0600.
/// </summary>
public sealed class PublisherSigningKey : IDisposable
{
    internal const string PrivateKeyLabel = "PRIVATE KEY";

    private readonly ECDsa key;

    private PublisherSigningKey(ECDsa key, PublisherKey publicKey)
    {
        this.key = key;
        PublicKey = publicKey;
    }

    /// <summary>The public half with the key document: what goes into the .pub file.</summary>
    public PublisherKey PublicKey { get; }

    /// <summary>The key's id.</summary>
    public string KeyId => PublicKey.KeyId;

    /// <summary>Makes a new P-256 key with id <paramref name="keyId"/> that expires at <paramref name="expires"/>.</summary>
    public static PublisherSigningKey Generate(string keyId, DateTimeOffset created, DateTimeOffset expires)
    {
        if (!Keys.KeyId.IsValid(keyId))
        {
            throw new ArgumentException($"invalid key id '{keyId}': use lower-case letters, digits, '.', '_' and '-'", nameof(keyId));
        }

        if (expires <= created)
        {
            throw new ArgumentException("the key must expire after it is created", nameof(expires));
        }

        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var document = new PublisherKeyDocument
        {
            Format = PublisherKeyDocument.CurrentFormat,
            KeyId = keyId,
            Algorithm = PublisherKey.Algorithm,
            Created = created.ToUniversalTime(),
            Expires = expires.ToUniversalTime(),
            PublicKeySha256 = Convert.ToHexStringLower(SHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo())),
        };
        var documentBytes = document.ToBytes();
        var signature = ecdsa.SignData(documentBytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return FromParts(ecdsa, documentBytes, signature, keyId);
    }

    /// <summary>Reads a .key file.</summary>
    /// <exception cref="FormatException">The file is not a publisher private key.</exception>
    public static PublisherSigningKey Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses the text of a .key file.</summary>
    public static PublisherSigningKey Parse(string text, string source)
    {
        var blocks = PemBlocks.Parse(text, source);
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportPkcs8PrivateKey(blocks.Required(PrivateKeyLabel, source), out _);
        }
        catch (CryptographicException e)
        {
            ecdsa.Dispose();
            throw new FormatException($"{source}: not a readable PKCS#8 private key ({e.Message})", e);
        }

        return FromParts(ecdsa, blocks.Required(PublisherKey.DocumentLabel, source), blocks.Required(PublisherKey.DocumentSignatureLabel, source), source);
    }

    private static PublisherSigningKey FromParts(ECDsa ecdsa, byte[] documentBytes, byte[] documentSignature, string source)
    {
        try
        {
            var publicText = PemEncoding.WriteString(PublisherKey.PublicKeyLabel, ecdsa.ExportSubjectPublicKeyInfo()) + "\n"
                + PemEncoding.WriteString(PublisherKey.DocumentLabel, documentBytes) + "\n"
                + PemEncoding.WriteString(PublisherKey.DocumentSignatureLabel, documentSignature) + "\n";
            return new PublisherSigningKey(ecdsa, PublisherKey.Parse(publicText, source));
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    /// <summary>Signs <paramref name="data"/>: ECDSA P-256 over its SHA-256, IEEE P1363 form.</summary>
    /// <exception cref="InvalidOperationException">The key has expired: a signature by it would be refused everywhere.</exception>
    public byte[] Sign(ReadOnlySpan<byte> data, DateTimeOffset now)
    {
        if (now > PublicKey.Document.Expires)
        {
            throw new InvalidOperationException($"key '{KeyId}' expired on {PublicKey.Document.Expires:yyyy-MM-dd}; make a new one with `mim bundle keygen`");
        }

        return key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>The .key file's text (secret).</summary>
    public string ToPem()
    {
        var text = new StringBuilder();
        text.Append(PemEncoding.WriteString(PrivateKeyLabel, key.ExportPkcs8PrivateKey())).Append('\n');
        text.Append(PemEncoding.WriteString(PublisherKey.DocumentLabel, PublicKey.DocumentBytes)).Append('\n');
        text.Append(PemEncoding.WriteString(PublisherKey.DocumentSignatureLabel, PublicKey.DocumentSignature)).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// Writes DIR/ID.key (mode 0600 from creation, so it is never readable by others even for an instant) and DIR/ID.pub.
    /// Refuses to overwrite either.
    /// </summary>
    public (string PrivatePath, string PublicPath) Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var privatePath = Path.Combine(directory, KeyId + ".key");
        var publicPath = Path.Combine(directory, KeyId + ".pub");
        if (File.Exists(publicPath))
        {
            throw new IOException($"{publicPath} already exists");
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(privatePath, options))
        {
            stream.Write(Encoding.ASCII.GetBytes(ToPem()));
            stream.Flush(flushToDisk: true);
        }

        File.WriteAllText(publicPath, PublicKey.ToPem(), Encoding.ASCII);
        return (privatePath, publicPath);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        key.Dispose();
        PublicKey.Dispose();
    }
}
