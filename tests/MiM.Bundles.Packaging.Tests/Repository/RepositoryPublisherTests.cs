using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Repository;
using MiM.Bundles.Packaging.Tests.Fixtures;

namespace MiM.Bundles.Packaging.Tests.Repository;

public sealed class RepositoryPublisherTests : IDisposable
{
    private readonly RepositoryFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    private RepositoryIndex ReadIndex() =>
        SignedIndex.Read(File.ReadAllBytes(Path.Combine(fixture.Repo, "index.json")), fixture.Publisher.Trust(), fixture.Publisher.Now);

    [Fact]
    public void Publishing_copies_the_archive_and_lists_it_in_a_signed_index()
    {
        fixture.Publish("abdomen-ct-seg", "1.0.0");

        var index = ReadIndex();
        var release = Assert.Single(index.Releases);
        Assert.Equal("abdomen-ct-seg-1.0.0.mimb", release.Archive);
        Assert.Equal(new FileInfo(Path.Combine(fixture.Repo, release.Archive)).Length, release.Size);
        Assert.Equal("acme", release.KeyId);
        Assert.Equal("^1.0", release.Requires["mim-encoder"]);
        Assert.Equal(1, index.Sequence);
    }

    [Fact]
    public void Each_publish_raises_the_sequence_and_keeps_earlier_releases()
    {
        fixture.Publish("abdomen-ct-seg", "1.0.0");
        fixture.Publish("abdomen-ct-seg", "1.1.0-rc.1", ReleaseChannel.Candidate);
        fixture.Publish("mim-encoder", "1.0.0");

        var index = ReadIndex();
        Assert.Equal(3, index.Sequence);
        Assert.Contains("\"channel\": \"candidate\"", File.ReadAllText(Path.Combine(fixture.Repo, "index.json")), StringComparison.Ordinal);
        Assert.Equal(["abdomen-ct-seg 1.0.0 Stable", "abdomen-ct-seg 1.1.0-rc.1 Candidate", "mim-encoder 1.0.0 Stable"], index.Releases.Select(r => $"{r.Id} {r.Version} {r.Channel}"));
    }

    [Fact]
    public void Republishing_the_same_archive_on_another_channel_promotes_it()
    {
        var source = SampleBundle.Write(fixture.Temp["src"], "abdomen-ct-seg", "1.1.0");
        BundlePacker.Pack(source, fixture.Temp["a.mimb"], fixture.Publisher.Key, fixture.Publisher.Now);
        var publisher = new RepositoryPublisher(fixture.Repo, fixture.Publisher.Key, fixture.Publisher.Trust(), fixture.Publisher.Clock);
        publisher.Publish(fixture.Temp["a.mimb"], ReleaseChannel.Candidate);

        publisher.Publish(fixture.Temp["a.mimb"], ReleaseChannel.Stable);

        Assert.Equal(ReleaseChannel.Stable, Assert.Single(ReadIndex().Releases).Channel);
    }

    [Fact]
    public void Publishing_different_bytes_under_a_published_version_is_refused()
    {
        fixture.Publish("abdomen-ct-seg", "1.0.0");
        var source = SampleBundle.Write(fixture.Temp["other"], "abdomen-ct-seg", "1.0.0");
        BundlePacker.Pack(source, fixture.Temp["other.mimb"], fixture.Publisher.Key, fixture.Publisher.Now);
        var publisher = new RepositoryPublisher(fixture.Repo, fixture.Publisher.Key, fixture.Publisher.Trust(), fixture.Publisher.Clock);

        Assert.Throws<BundleRefusedException>(() => publisher.Publish(fixture.Temp["other.mimb"], ReleaseChannel.Stable));
    }

    [Fact]
    public void An_index_past_its_expiry_is_refused_until_refreshed()
    {
        var source = SampleBundle.Write(fixture.Temp["src"], "abdomen-ct-seg", "1.0.0");
        BundlePacker.Pack(source, fixture.Temp["a.mimb"], fixture.Publisher.Key, fixture.Publisher.Now);
        var publisher = new RepositoryPublisher(fixture.Repo, fixture.Publisher.Key, fixture.Publisher.Trust(), fixture.Publisher.Clock, TimeSpan.FromDays(7));
        publisher.Publish(fixture.Temp["a.mimb"], ReleaseChannel.Stable);
        fixture.Publisher.Clock.Advance(TimeSpan.FromDays(8));

        Assert.Equal(RefusalReason.IndexRejected, Assert.Throws<BundleRefusedException>(ReadIndex).Reason);
        var refreshed = publisher.Refresh();

        Assert.Equal(2, refreshed.Sequence);
        Assert.Equal(fixture.Publisher.Now.AddDays(7), refreshed.Expires);
        Assert.Single(ReadIndex().Releases);
    }

    [Fact]
    public void Refreshing_a_repository_without_an_index_is_refused() =>
        Assert.Throws<FileNotFoundException>(() => new RepositoryPublisher(fixture.Repo, fixture.Publisher.Key, fixture.Publisher.Trust(), fixture.Publisher.Clock).Refresh());

    [Fact]
    public void An_index_signed_by_another_key_is_not_overwritten()
    {
        fixture.Publish("abdomen-ct-seg", "1.0.0");
        using var other = new Publisher("other");
        var before = File.ReadAllBytes(Path.Combine(fixture.Repo, "index.json"));

        Assert.Equal(RefusalReason.UnknownKey, Assert.Throws<BundleRefusedException>(() => new RepositoryPublisher(fixture.Repo, other.Key, other.Trust(), other.Clock).Refresh()).Reason);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(fixture.Repo, "index.json")));
    }

    [Fact]
    public void An_untrusted_archive_is_not_published()
    {
        using var stranger = new Publisher("stranger");
        var path = HostileArchive.Honest().Write(fixture.Temp["s.mimb"], stranger.Key, stranger.Now);
        var publisher = new RepositoryPublisher(fixture.Repo, fixture.Publisher.Key, fixture.Publisher.Trust(), fixture.Publisher.Clock);

        Assert.Equal(RefusalReason.UnknownKey, Assert.Throws<BundleRefusedException>(() => publisher.Publish(path, ReleaseChannel.Stable)).Reason);
        Assert.False(File.Exists(Path.Combine(fixture.Repo, "index.json")));
    }
}
