using System.Text.Json;
using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Signing;

namespace MiM.Bundles.Packaging.Trust;

/// <summary>
/// The site's trust: publisher public keys, the bundle ids each may publish, which may sign repository indexes, and a
/// revocation list (key ids or public-key fingerprints). Checks a detached signature in a fixed order — revoked,
/// unknown, expired, signature — so the reason given is the most specific one.
/// </summary>
public sealed class TrustStore : IDisposable
{
    private readonly Dictionary<string, TrustedPublisher> publishers;
    private readonly HashSet<string> revoked;

    /// <summary>A trust store of <paramref name="publishers"/> and a revocation list.</summary>
    public TrustStore(IEnumerable<TrustedPublisher> publishers, IEnumerable<string> revoked)
    {
        this.publishers = new Dictionary<string, TrustedPublisher>(StringComparer.Ordinal);
        foreach (var publisher in publishers)
        {
            if (!this.publishers.TryAdd(publisher.Key.KeyId, publisher))
            {
                throw new FormatException($"two trusted keys have the id '{publisher.Key.KeyId}'");
            }
        }

        this.revoked = new HashSet<string>(revoked, StringComparer.Ordinal);
    }

    /// <summary>The trusted publishers by key id.</summary>
    public IReadOnlyDictionary<string, TrustedPublisher> Publishers => publishers;

    /// <summary>Trusts <paramref name="keys"/> for every bundle id and for indexes (a single .pub given on the command line).</summary>
    public static TrustStore Of(params PublisherKey[] keys) =>
        new(keys.Select(key => new TrustedPublisher(key, [new BundleIdPattern("*")], MaySignIndex: true)), []);

    /// <summary>
    /// Loads a trust store from a .pub file (trusted for everything) or a folder of .pub files with an optional
    /// trust.json (without one, every key in the folder is trusted for everything; with one, only the keys it lists,
    /// for what it lists). See docs/distribution.md, "Trust store".
    /// </summary>
    /// <exception cref="FormatException">A key file or trust.json is malformed.</exception>
    public static TrustStore Load(string path)
    {
        if (File.Exists(path))
        {
            return Of(PublisherKey.Load(path));
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"no trust store at {path}", path);
        }

        var keys = new Dictionary<string, PublisherKey>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(path, "*.pub").Order(StringComparer.Ordinal))
        {
            var key = PublisherKey.Load(file);
            if (!keys.TryAdd(key.KeyId, key))
            {
                throw new FormatException($"{file}: another .pub file in {path} has the key id '{key.KeyId}'");
            }
        }

        var trustPath = Path.Combine(path, TrustFile.FileName);
        if (!File.Exists(trustPath))
        {
            return new TrustStore(keys.Values.Select(key => new TrustedPublisher(key, [new BundleIdPattern("*")], true)), []);
        }

        TrustFile trust;
        try
        {
            trust = JsonSerializer.Deserialize<TrustFile>(File.ReadAllBytes(trustPath), StrictJson.Options)
                ?? throw new FormatException($"{trustPath} is empty");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{trustPath}: {e.Message}", e);
        }

        if (trust.Format != TrustFile.CurrentFormat)
        {
            throw new FormatException($"{trustPath}: format must be {TrustFile.CurrentFormat}");
        }

        var trusted = new List<TrustedPublisher>();
        foreach (var entry in trust.Publishers)
        {
            if (!keys.TryGetValue(entry.KeyId, out var key))
            {
                throw new FormatException($"{trustPath}: no .pub file in {path} has the key id '{entry.KeyId}'");
            }

            trusted.Add(new TrustedPublisher(key, entry.Bundles.Select(pattern => new BundleIdPattern(pattern)).ToList(), entry.Index));
        }

        return new TrustStore(trusted, trust.Revoked);
    }

    /// <summary>
    /// Returns the trusted publisher whose signature <paramref name="signature"/> is over <paramref name="signedBytes"/>,
    /// checked at <paramref name="now"/>; refuses a revoked, unknown, expired or wrong signature.
    /// </summary>
    public TrustedPublisher Verify(ReadOnlySpan<byte> signedBytes, SignatureDocument signature, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (revoked.Contains(signature.KeyId) || revoked.Contains("sha256:" + signature.PublicKeySha256))
        {
            throw new BundleRefusedException(RefusalReason.RevokedKey, $"key '{signature.KeyId}' is revoked by the trust store");
        }

        if (!publishers.TryGetValue(signature.KeyId, out var publisher))
        {
            throw new BundleRefusedException(RefusalReason.UnknownKey, $"key '{signature.KeyId}' is not in the trust store");
        }

        if (revoked.Contains(publisher.Key.Fingerprint))
        {
            throw new BundleRefusedException(RefusalReason.RevokedKey, $"key '{signature.KeyId}' is revoked by the trust store");
        }

        if (!string.Equals(publisher.Key.Document.PublicKeySha256, signature.PublicKeySha256, StringComparison.Ordinal))
        {
            throw new BundleRefusedException(RefusalReason.UnknownKey, $"the signature names key '{signature.KeyId}' but was made by another key with that id");
        }

        if (now > publisher.Key.Document.Expires)
        {
            throw new BundleRefusedException(RefusalReason.ExpiredKey, $"key '{signature.KeyId}' expired on {publisher.Key.Document.Expires:yyyy-MM-dd}");
        }

        if (!publisher.Key.Verify(signedBytes, signature.SignatureBytes()))
        {
            throw new BundleRefusedException(RefusalReason.BadSignature, $"the signature by key '{signature.KeyId}' does not match the signed bytes");
        }

        return publisher;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var publisher in publishers.Values)
        {
            publisher.Key.Dispose();
        }
    }
}
