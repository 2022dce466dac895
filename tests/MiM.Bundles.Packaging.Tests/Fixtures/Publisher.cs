using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Trust;
using Microsoft.Extensions.Time.Testing;

namespace MiM.Bundles.Packaging.Tests.Fixtures;

/// <summary>A test publisher: a key valid from 2026-01-01 for a year, and the clock at 2026-06-01.</summary>
public sealed class Publisher : IDisposable
{
    public static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public Publisher(string keyId = "acme")
    {
        Key = PublisherSigningKey.Generate(keyId, Created, Created.AddYears(1));
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));

    public PublisherSigningKey Key { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>A trust store of this key, for every bundle id.</summary>
    public TrustStore Trust() => TrustStore.Of(PublisherKey.Parse(Key.PublicKey.ToPem(), "test"));

    /// <summary>A trust store of this key for <paramref name="patterns"/> only, and <paramref name="revoked"/>.</summary>
    public TrustStore Trust(string[] patterns, params string[] revoked) =>
        new([new TrustedPublisher(PublisherKey.Parse(Key.PublicKey.ToPem(), "test"), patterns.Select(p => new BundleIdPattern(p)).ToList(), true)], revoked);

    public void Dispose() => Key.Dispose();
}
