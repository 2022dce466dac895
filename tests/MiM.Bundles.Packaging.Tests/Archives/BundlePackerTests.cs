using System.IO.Compression;
using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Tests.Fixtures;

namespace MiM.Bundles.Packaging.Tests.Archives;

public sealed class BundlePackerTests : IDisposable
{
    private readonly TempDir temp = new();
    private readonly Publisher publisher = new();

    public void Dispose()
    {
        temp.Dispose();
        publisher.Dispose();
    }

    [Fact]
    public void A_packed_and_signed_bundle_verifies_with_every_file_in_the_manifest()
    {
        var bundle = SampleBundle.Write(temp["src"]);

        BundlePacker.Pack(bundle, temp["b.mimb"], publisher.Key, publisher.Now);
        var verified = new ArchiveVerifier(publisher.Trust(), clock: publisher.Clock).Verify(temp["b.mimb"]);

        Assert.Equal(
            ["LICENSE", "configs/inference.json", "configs/metadata.json", "configs/selection.json", "docs/README.md", "models/head.safetensors"],
            verified.Manifest.Files.Select(file => file.Path));
        Assert.Equal("^1.0", verified.Metadata.Requires["mim-encoder"]);
        Assert.Equal("first", verified.Metadata.Changelog);
        Assert.Equal("1.0", verified.Metadata.ContractsVersion);
    }

    [Fact]
    public void Files_sit_under_one_root_folder_named_after_the_bundle_id_and_weights_are_stored_uncompressed()
    {
        BundlePacker.Pack(SampleBundle.Write(temp["src"]), temp["b.mimb"], publisher.Key, publisher.Now);

        using var zip = ZipFile.OpenRead(temp["b.mimb"]);
        Assert.All(
            zip.Entries.Where(e => e.FullName is not ArchiveLayout.ManifestEntry and not ArchiveLayout.SignatureEntry),
            e => Assert.StartsWith("abdomen-ct-seg/", e.FullName, StringComparison.Ordinal));
        var weights = zip.GetEntry("abdomen-ct-seg/models/head.safetensors")!;
        Assert.Equal(weights.Length, weights.CompressedLength);
    }

    [Fact]
    public void An_unsigned_pack_is_refused_by_verify_until_signed()
    {
        BundlePacker.Pack(SampleBundle.Write(temp["src"]), temp["b.mimb"], key: null, publisher.Now);
        var verifier = new ArchiveVerifier(publisher.Trust(), clock: publisher.Clock);

        Assert.Equal(RefusalReason.NoSignature, Assert.Throws<BundleRefusedException>(() => verifier.Verify(temp["b.mimb"])).Reason);
        ArchiveSigner.Sign(temp["b.mimb"], publisher.Key, publisher.Now);
        Assert.Equal("abdomen-ct-seg", verifier.Verify(temp["b.mimb"]).Manifest.Id);
    }

    [Fact]
    public void Packing_the_same_folder_twice_gives_the_same_manifest()
    {
        var bundle = SampleBundle.Write(temp["src"]);

        var first = BundlePacker.Pack(bundle, temp["a.mimb"], null, publisher.Now).ToBytes();
        var second = BundlePacker.Pack(bundle, temp["b.mimb"], null, publisher.Now).ToBytes();

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_symbolic_link_in_the_bundle_folder_is_refused()
    {
        var bundle = SampleBundle.Write(temp["src"]);
        File.CreateSymbolicLink(Path.Combine(bundle, "docs", "passwd"), "/etc/passwd");

        Assert.Throws<IOException>(() => BundlePacker.Pack(bundle, temp["b.mimb"], publisher.Key, publisher.Now));
        Assert.False(File.Exists(temp["b.mimb"]));
    }

    [Theory]
    [InlineData("Abdomen", "1.0.0")]
    [InlineData("../evil", "1.0.0")]
    [InlineData("abdomen", "1.0")]
    [InlineData("abdomen", "v1.0.0")]
    public void A_bundle_without_a_valid_id_or_semver_version_is_refused(string id, string version)
    {
        var bundle = SampleBundle.Write(temp["src"], id, version);

        Assert.Throws<FormatException>(() => BundlePacker.Pack(bundle, temp["b.mimb"], publisher.Key, publisher.Now));
    }

    [Fact]
    public void An_installed_bundles_signature_folder_is_not_packed()
    {
        var bundle = SampleBundle.Write(temp["src"]);
        Directory.CreateDirectory(Path.Combine(bundle, ".mimb"));
        File.WriteAllText(Path.Combine(bundle, ".mimb", "manifest.json"), "{}");

        var manifest = BundlePacker.Pack(bundle, temp["b.mimb"], publisher.Key, publisher.Now);

        Assert.DoesNotContain(manifest.Files, file => file.Path.StartsWith(".mimb", StringComparison.Ordinal));
    }
}
