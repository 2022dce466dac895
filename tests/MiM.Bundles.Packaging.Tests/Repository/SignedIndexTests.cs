using System.Text;
using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Repository;
using MiM.Bundles.Packaging.Tests.Fixtures;
using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Packaging.Tests.Repository;

public sealed class SignedIndexTests : IDisposable
{
    private readonly RepositoryFixture fixture = new();

    public SignedIndexTests() => fixture.Publish("abdomen-ct-seg", "1.0.0");

    public void Dispose() => fixture.Dispose();

    private byte[] IndexBytes => File.ReadAllBytes(Path.Combine(fixture.Repo, "index.json"));

    private RefusalReason Refusal(byte[] bytes, TrustStore? trust = null) =>
        Assert.Throws<BundleRefusedException>(() => SignedIndex.Read(bytes, trust ?? fixture.Publisher.Trust(), fixture.Publisher.Now)).Reason;

    [Fact]
    public void An_index_with_one_changed_character_is_refused()
    {
        var text = Encoding.UTF8.GetString(IndexBytes).Replace("\"version\": \"1.0.0\"", "\"version\": \"1.0.1\"", StringComparison.Ordinal);

        Assert.Equal(RefusalReason.BadSignature, Refusal(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void An_index_without_a_signature_is_refused()
    {
        var text = """{"format": "mim-signed-index/1", "index": {"format": "mim-repo-index/1", "sequence": 9, "generated": "2026-01-01T00:00:00Z", "releases": []}}""";

        Assert.Equal(RefusalReason.IndexRejected, Refusal(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void An_index_signed_by_an_unknown_key_is_refused()
    {
        using var stranger = new Publisher("stranger");

        Assert.Equal(RefusalReason.UnknownKey, Refusal(IndexBytes, stranger.Trust()));
    }

    [Fact]
    public void An_index_signed_by_a_key_trusted_only_for_bundles_is_refused()
    {
        var store = new TrustStore([new TrustedPublisher(fixture.Publisher.Trust().Publishers["acme"].Key, [new BundleIdPattern("*")], MaySignIndex: false)], []);

        Assert.Equal(RefusalReason.KeyNotAllowed, Refusal(IndexBytes, store));
    }

    [Fact]
    public void An_index_with_a_duplicated_property_is_refused()
    {
        var text = Encoding.UTF8.GetString(IndexBytes).Replace("\"format\": \"mim-signed-index/1\",", "\"format\": \"mim-signed-index/1\", \"format\": \"x\",", StringComparison.Ordinal);

        Assert.Equal(RefusalReason.IndexRejected, Refusal(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void An_intact_index_reads_back()
    {
        Assert.Equal("abdomen-ct-seg", Assert.Single(SignedIndex.Read(IndexBytes, fixture.Publisher.Trust(), fixture.Publisher.Now).Releases).Id);
    }
}
