using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Tests.Fixtures;
using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Packaging.Tests.Trust;

public sealed class TrustStoreTests : IDisposable
{
    private readonly TempDir temp = new();
    private readonly Publisher acme = new("acme");
    private readonly Publisher beta = new("beta");

    public void Dispose()
    {
        temp.Dispose();
        acme.Dispose();
        beta.Dispose();
    }

    private string SignedBy(Publisher publisher, string id)
    {
        var path = temp[$"{id}-{publisher.Key.KeyId}.mimb"];
        return HostileArchive.Honest(id).Write(path, publisher.Key, publisher.Now);
    }

    [Fact]
    public void A_folder_without_trust_json_trusts_each_key_for_every_bundle()
    {
        var keys = Directory.CreateDirectory(temp["keys"]).FullName;
        File.WriteAllText(Path.Combine(keys, "acme.pub"), acme.Key.PublicKey.ToPem());
        File.WriteAllText(Path.Combine(keys, "beta.pub"), beta.Key.PublicKey.ToPem());

        using var store = TrustStore.Load(keys);

        Assert.Equal(["acme", "beta"], store.Publishers.Keys.Order(StringComparer.Ordinal));
        new ArchiveVerifier(store, clock: acme.Clock).Verify(SignedBy(beta, "anything"));
    }

    [Fact]
    public void Trust_json_limits_each_key_to_its_patterns_and_revokes_keys()
    {
        var keys = Directory.CreateDirectory(temp["keys"]).FullName;
        File.WriteAllText(Path.Combine(keys, "acme.pub"), acme.Key.PublicKey.ToPem());
        File.WriteAllText(Path.Combine(keys, "beta.pub"), beta.Key.PublicKey.ToPem());
        File.WriteAllText(Path.Combine(keys, "trust.json"), """
            {"format": "mim-trust/1",
             "publishers": [{"key_id": "acme", "bundles": ["acme-*"], "index": true},
                            {"key_id": "beta", "bundles": ["*"]}],
             "revoked": ["beta"]}
            """);

        using var store = TrustStore.Load(keys);
        var verifier = new ArchiveVerifier(store, clock: acme.Clock);

        verifier.Verify(SignedBy(acme, "acme-liver"));
        Assert.Equal(RefusalReason.KeyNotAllowed, Assert.Throws<BundleRefusedException>(() => verifier.Verify(SignedBy(acme, "other"))).Reason);
        Assert.Equal(RefusalReason.RevokedKey, Assert.Throws<BundleRefusedException>(() => verifier.Verify(SignedBy(beta, "acme-liver"))).Reason);
        Assert.False(store.Publishers["beta"].MaySignIndex);
    }

    [Fact]
    public void Keys_in_the_folder_but_not_in_trust_json_are_not_trusted()
    {
        var keys = Directory.CreateDirectory(temp["keys"]).FullName;
        File.WriteAllText(Path.Combine(keys, "acme.pub"), acme.Key.PublicKey.ToPem());
        File.WriteAllText(Path.Combine(keys, "beta.pub"), beta.Key.PublicKey.ToPem());
        File.WriteAllText(Path.Combine(keys, "trust.json"), """{"format": "mim-trust/1", "publishers": [{"key_id": "acme", "bundles": ["*"]}]}""");

        using var store = TrustStore.Load(keys);

        Assert.Equal(RefusalReason.UnknownKey, Assert.Throws<BundleRefusedException>(() => new ArchiveVerifier(store, clock: acme.Clock).Verify(SignedBy(beta, "x"))).Reason);
    }

    [Fact]
    public void Trust_json_naming_a_key_with_no_pub_file_is_refused()
    {
        var keys = Directory.CreateDirectory(temp["keys"]).FullName;
        File.WriteAllText(Path.Combine(keys, "trust.json"), """{"format": "mim-trust/1", "publishers": [{"key_id": "ghost", "bundles": ["*"]}]}""");

        Assert.Throws<FormatException>(() => TrustStore.Load(keys));
    }

    [Fact]
    public void Two_pub_files_with_one_key_id_are_refused()
    {
        using var twin = new Publisher("acme");
        var keys = Directory.CreateDirectory(temp["keys"]).FullName;
        File.WriteAllText(Path.Combine(keys, "a.pub"), acme.Key.PublicKey.ToPem());
        File.WriteAllText(Path.Combine(keys, "b.pub"), twin.Key.PublicKey.ToPem());

        Assert.Throws<FormatException>(() => TrustStore.Load(keys));
    }

    [Fact]
    public void A_single_pub_file_is_a_trust_store_of_one_key()
    {
        File.WriteAllText(temp["acme.pub"], acme.Key.PublicKey.ToPem());

        using var store = TrustStore.Load(temp["acme.pub"]);

        Assert.True(store.Publishers["acme"].MayPublish("anything"));
        Assert.IsType<PublisherKey>(store.Publishers["acme"].Key);
    }
}
