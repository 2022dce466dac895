using System.Text;
using MiM.Bundles.Packaging.Bundles;
using MiM.Bundles.Packaging.Refusals;

namespace MiM.Bundles.Packaging.Tests.Bundles;

public sealed class BundleMetadataTests
{
    private static BundleMetadata Parse(string json) => BundleMetadata.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void The_distribution_fields_are_read_and_the_rest_ignored()
    {
        var metadata = Parse("""
            {"id": "seg", "version": "1.2.0", "changelog": "better", "requires": {"mim-encoder": "^1.0"},
             "contracts_version": "1.0", "network_data_format": {"inputs": {}}, "authors": ["a"]}
            """);

        Assert.Equal(("seg", "1.2.0", "better", "1.0"), (metadata.Id, metadata.Version, metadata.Changelog, metadata.ContractsVersion));
        Assert.Equal("^1.0", metadata.Requires["mim-encoder"]);
    }

    [Fact]
    public void A_monai_style_changelog_gives_this_versions_line() =>
        Assert.Equal("fixed", Parse("""{"id": "seg", "version": "1.1.0", "changelog": {"1.1.0": "fixed", "1.0.0": "first"}}""").Changelog);

    [Fact]
    public void A_numeric_contracts_version_is_read_as_text() =>
        Assert.Equal("2", Parse("""{"id": "seg", "version": "1.1.0", "contracts_version": 2}""").ContractsVersion);

    [Theory]
    [InlineData("""{"version": "1.0.0"}""")]
    [InlineData("""{"id": "seg"}""")]
    [InlineData("""{"id": "seg", "version": "1.0.0", "id": "evil"}""")]
    [InlineData("""[1, 2]""")]
    [InlineData("""{"id": """)]
    public void Metadata_without_one_clear_id_and_version_is_refused(string json) =>
        Assert.Equal(RefusalReason.Malformed, Assert.Throws<BundleRefusedException>(() => Parse(json)).Reason);
}
