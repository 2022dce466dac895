using MiM.Bundles.Packaging.Repository;
using Semver;

namespace MiM.Bundles.Packaging.Tests.Repository;

public sealed class BundlePolicyTests
{
    private static readonly RepositoryIndex Index = new()
    {
        Format = RepositoryIndex.CurrentFormat,
        Sequence = 1,
        Generated = DateTimeOffset.UnixEpoch,
        Releases =
        [
            Release("seg", "1.0.0", ReleaseChannel.Stable),
            Release("seg", "1.2.0", ReleaseChannel.Stable),
            Release("seg", "1.3.0-rc.1", ReleaseChannel.Candidate),
            Release("seg", "1.4.0", ReleaseChannel.Candidate),
            Release("seg", "2.0.0", ReleaseChannel.Stable),
            Release("other", "9.0.0", ReleaseChannel.Stable),
        ],
    };

    private static IndexRelease Release(string id, string version, ReleaseChannel channel) => new()
    {
        Id = id, Version = version, Channel = channel, Archive = $"{id}-{version}.mimb", Size = 1, Sha256 = new string('0', 64), KeyId = "k", ManifestSignature = "",
    };

    [Theory]
    [InlineData(ReleaseChannel.Stable, "*", "2.0.0")]
    [InlineData(ReleaseChannel.Stable, "^1.0", "1.2.0")]
    [InlineData(ReleaseChannel.Candidate, "^1.0", "1.4.0")]
    [InlineData(ReleaseChannel.Candidate, "~1.3.0-0", "1.3.0-rc.1")]
    [InlineData(ReleaseChannel.Stable, "^3.0", null)]
    public void The_newest_release_on_the_channel_within_the_range_is_chosen(ReleaseChannel channel, string range, string? expected) =>
        Assert.Equal(expected, new BundlePolicy("seg", channel, range).Choose(Index)?.Version);

    [Fact]
    public void A_pinned_version_is_chosen_even_when_older_or_on_another_channel()
    {
        Assert.Equal("1.0.0", new BundlePolicy("seg") { Pinned = SemVersion.Parse("1.0.0", SemVersionStyles.Strict) }.Choose(Index)?.Version);
        Assert.Equal("1.4.0", new BundlePolicy("seg") { Pinned = SemVersion.Parse("1.4.0", SemVersionStyles.Strict) }.Choose(Index)?.Version);
    }

    [Fact]
    public void An_unknown_id_chooses_nothing() => Assert.Null(new BundlePolicy("nope").Choose(Index));
}
