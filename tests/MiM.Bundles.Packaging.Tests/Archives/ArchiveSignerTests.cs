using System.IO.Compression;
using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Tests.Fixtures;

namespace MiM.Bundles.Packaging.Tests.Archives;

public sealed class ArchiveSignerTests : IDisposable
{
    private readonly TempDir temp = new();
    private readonly Publisher publisher = new();

    public void Dispose()
    {
        temp.Dispose();
        publisher.Dispose();
    }

    [Fact]
    public void Re_signing_replaces_the_signature_with_the_new_keys()
    {
        using var other = new Publisher("site-b");
        BundlePacker.Pack(SampleBundle.Write(temp["src"]), temp["b.mimb"], publisher.Key, publisher.Now);

        ArchiveSigner.Sign(temp["b.mimb"], other.Key, other.Now);

        Assert.Equal("site-b", new ArchiveVerifier(other.Trust(), clock: other.Clock).Verify(temp["b.mimb"]).Publisher.Key.KeyId);
        Assert.Equal(RefusalReason.UnknownKey, Assert.Throws<BundleRefusedException>(() => new ArchiveVerifier(publisher.Trust(), clock: publisher.Clock).Verify(temp["b.mimb"])).Reason);
    }

    [Fact]
    public void Signing_an_archive_whose_file_differs_from_its_manifest_is_refused_and_leaves_it_unchanged()
    {
        var tampered = new HostileArchive();
        tampered.AddListed("configs/metadata.json", tampered.Metadata);
        tampered.ManifestFiles.Add(HostileArchive.Describe("LICENSE", "MIT\n"u8.ToArray()));
        tampered.AddEntry("abdomen-ct-seg/LICENSE", "GPL\n"u8.ToArray());
        var path = tampered.Write(temp["t.mimb"], null, publisher.Now);
        var before = File.ReadAllBytes(path);

        Assert.Equal(RefusalReason.ChangedFile, Assert.Throws<BundleRefusedException>(() => ArchiveSigner.Sign(path, publisher.Key, publisher.Now)).Reason);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void An_expired_key_cannot_sign()
    {
        BundlePacker.Pack(SampleBundle.Write(temp["src"]), temp["b.mimb"], null, publisher.Now);

        Assert.Throws<InvalidOperationException>(() => ArchiveSigner.Sign(temp["b.mimb"], publisher.Key, Publisher.Created.AddYears(2)));
        using var zip = ZipFile.OpenRead(temp["b.mimb"]);
        Assert.Null(zip.GetEntry(ArchiveLayout.SignatureEntry));
    }
}
