using System.IO.Compression;
using System.Text;
using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Tests.Fixtures;

namespace MiM.Bundles.Packaging.Tests.Archives;

/// <summary>Each refusal with a hand-crafted archive; each archive is signed by the trusted key unless the test is about the key.</summary>
public sealed class ArchiveVerifierTests : IDisposable
{
    private readonly TempDir temp = new();
    private readonly Publisher publisher = new();

    public void Dispose()
    {
        temp.Dispose();
        publisher.Dispose();
    }

    private RefusalReason Refusal(string archive, MiM.Bundles.Packaging.Trust.TrustStore? trust = null, VerificationLimits? limits = null)
    {
        var verifier = new ArchiveVerifier(trust ?? publisher.Trust(), limits, publisher.Clock);
        return Assert.Throws<BundleRefusedException>(() => verifier.Verify(archive)).Reason;
    }

    private string Signed(HostileArchive archive) => archive.Write(temp["a.mimb"], publisher.Key, publisher.Now);

    [Fact]
    public void An_honest_hand_made_archive_verifies()
    {
        var result = new ArchiveVerifier(publisher.Trust(), clock: publisher.Clock).Verify(Signed(HostileArchive.Honest()));

        Assert.Equal("abdomen-ct-seg", result.Manifest.Id);
        Assert.Equal("acme", result.Publisher.Key.KeyId);
    }

    [Fact]
    public void An_unsigned_archive_is_refused() =>
        Assert.Equal(RefusalReason.NoSignature, Refusal(HostileArchive.Honest().Write(temp["a.mimb"], null, publisher.Now)));

    [Fact]
    public void A_key_the_store_does_not_hold_is_refused()
    {
        using var stranger = new Publisher("stranger");
        var archive = HostileArchive.Honest().Write(temp["a.mimb"], stranger.Key, publisher.Now);

        Assert.Equal(RefusalReason.UnknownKey, Refusal(archive));
    }

    [Fact]
    public void Another_key_reusing_a_trusted_key_id_is_refused()
    {
        using var impostor = new Publisher("acme");
        var archive = HostileArchive.Honest().Write(temp["a.mimb"], impostor.Key, publisher.Now);

        Assert.Equal(RefusalReason.UnknownKey, Refusal(archive));
    }

    [Fact]
    public void An_expired_key_is_refused()
    {
        var archive = Signed(HostileArchive.Honest());
        publisher.Clock.SetUtcNow(Publisher.Created.AddYears(1).AddDays(1));

        Assert.Equal(RefusalReason.ExpiredKey, Refusal(archive));
    }

    [Fact]
    public void A_key_revoked_by_id_is_refused() =>
        Assert.Equal(RefusalReason.RevokedKey, Refusal(Signed(HostileArchive.Honest()), publisher.Trust(["*"], "acme")));

    [Fact]
    public void A_key_revoked_by_fingerprint_is_refused() =>
        Assert.Equal(RefusalReason.RevokedKey, Refusal(Signed(HostileArchive.Honest()), publisher.Trust(["*"], publisher.Key.PublicKey.Fingerprint)));

    [Fact]
    public void A_key_not_allowed_for_the_bundle_id_is_refused() =>
        Assert.Equal(RefusalReason.KeyNotAllowed, Refusal(Signed(HostileArchive.Honest()), publisher.Trust(["acme-*", "mim-encoder"])));

    [Fact]
    public void A_key_allowed_by_pattern_is_accepted()
    {
        var verifier = new ArchiveVerifier(publisher.Trust(["abdomen-*"]), clock: publisher.Clock);

        Assert.Equal("1.0.0", verifier.Verify(Signed(HostileArchive.Honest())).Manifest.Version);
    }

    [Fact]
    public void A_manifest_changed_after_signing_is_refused()
    {
        var honest = HostileArchive.Honest();
        var signedManifest = honest.ManifestBytes();
        var path = honest.Write(temp["a.mimb"], publisher.Key, publisher.Now);
        // Re-write with the signature over the honest manifest but one byte of the manifest changed (version 1.0.0 -> 1.0.1).
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signedManifest).Replace("1.0.0", "1.0.1", StringComparison.Ordinal));
        ReplaceEntry(path, ArchiveLayout.ManifestEntry, changed);

        Assert.Equal(RefusalReason.BadSignature, Refusal(path));
    }

    [Fact]
    public void One_changed_byte_in_a_file_is_refused()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        data[500] ^= 1;
        var tampered = new HostileArchive();
        tampered.AddListed("configs/metadata.json", tampered.Metadata);
        tampered.ManifestFiles.Add(HostileArchive.Describe("models/head.safetensors", Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray()));
        tampered.AddEntry("abdomen-ct-seg/models/head.safetensors", data);

        Assert.Equal(RefusalReason.ChangedFile, Refusal(Signed(tampered)));
    }

    [Fact]
    public void A_file_with_a_different_size_is_refused()
    {
        var tampered = new HostileArchive();
        tampered.AddListed("configs/metadata.json", tampered.Metadata);
        tampered.ManifestFiles.Add(HostileArchive.Describe("LICENSE", "MIT\n"u8.ToArray()));
        tampered.AddEntry("abdomen-ct-seg/LICENSE", "MIT and more\n"u8.ToArray());

        Assert.Equal(RefusalReason.ChangedFile, Refusal(Signed(tampered)));
    }

    [Fact]
    public void A_missing_file_is_refused()
    {
        var archive = HostileArchive.Honest();
        archive.ManifestFiles.Add(HostileArchive.Describe("LICENSE", "MIT\n"u8.ToArray()));

        Assert.Equal(RefusalReason.MissingFile, Refusal(Signed(archive)));
    }

    [Fact]
    public void An_extra_file_under_the_root_is_refused() =>
        Assert.Equal(RefusalReason.ExtraFile, Refusal(Signed(HostileArchive.Honest().AddEntry("abdomen-ct-seg/lib/evil.dll", [1, 2, 3]))));

    [Fact]
    public void An_extra_file_beside_the_root_is_refused() =>
        Assert.Equal(RefusalReason.ExtraFile, Refusal(Signed(HostileArchive.Honest().AddEntry("other/evil.dll", [1, 2, 3]))));

    [Fact]
    public void A_folder_entry_is_refused() =>
        Assert.Equal(RefusalReason.ExtraFile, Refusal(Signed(HostileArchive.Honest().AddEntry("abdomen-ct-seg/models/", [], 0x10))));

    [Theory]
    [InlineData("abdomen-ct-seg/../../etc/cron.d/evil")]
    [InlineData("../evil")]
    [InlineData("/etc/passwd")]
    [InlineData("abdomen-ct-seg/..\\..\\evil.dll")]
    [InlineData("C:/Windows/evil.dll")]
    [InlineData("abdomen-ct-seg//evil")]
    [InlineData("abdomen-ct-seg/./evil")]
    [InlineData("abdomen-ct-seg/evil\u0000.txt")]
    public void An_entry_name_that_escapes_the_root_is_refused(string name) =>
        Assert.Equal(RefusalReason.UnsafePath, Refusal(Signed(HostileArchive.Honest().AddEntry(name, [1]))));

    [Fact]
    public void A_manifest_path_that_escapes_the_root_is_refused()
    {
        var archive = HostileArchive.Honest();
        archive.ManifestFiles.Add(new ManifestFile("../../evil", 1, new string('0', 64)));

        Assert.Equal(RefusalReason.UnsafePath, Refusal(Signed(archive)));
    }

    [Theory]
    [InlineData(0xA1FF)] // symbolic link
    [InlineData(0x21A4)] // character device
    [InlineData(0x61A4)] // block device
    [InlineData(0x11A4)] // FIFO
    [InlineData(0xC1A4)] // socket
    [InlineData(0x41ED)] // directory
    public void A_link_or_device_entry_is_refused(int unixMode)
    {
        var archive = HostileArchive.Honest();
        var target = "/etc/passwd"u8.ToArray();
        archive.ManifestFiles.Add(HostileArchive.Describe("docs/README.md", target));
        archive.AddEntry("abdomen-ct-seg/docs/README.md", target, unixMode << 16);

        Assert.Equal(RefusalReason.LinkOrDevice, Refusal(Signed(archive)));
    }

    [Fact]
    public void A_duplicate_entry_is_refused() =>
        Assert.Equal(RefusalReason.DuplicateEntry, Refusal(Signed(HostileArchive.Honest().AddEntry("abdomen-ct-seg/models/head.safetensors", [1, 2]))));

    [Fact]
    public void Entries_differing_only_in_case_are_refused_as_duplicates() =>
        Assert.Equal(RefusalReason.DuplicateEntry, Refusal(Signed(HostileArchive.Honest().AddEntry("abdomen-ct-seg/MODELS/head.safetensors", [1, 2]))));

    [Fact]
    public void A_second_manifest_entry_is_refused_as_duplicate()
    {
        var path = Signed(HostileArchive.Honest().AddEntry(ArchiveLayout.ManifestEntry, "{}"u8.ToArray()));

        Assert.Equal(RefusalReason.DuplicateEntry, Refusal(path));
    }

    [Fact]
    public void A_manifest_listing_a_path_twice_is_refused()
    {
        var archive = HostileArchive.Honest();
        archive.ManifestFiles.Add(archive.ManifestFiles[1]);

        Assert.Equal(RefusalReason.DuplicateEntry, Refusal(Signed(archive)));
    }

    [Fact]
    public void A_manifest_with_a_duplicate_json_property_is_refused()
    {
        var archive = HostileArchive.Honest();
        var bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(archive.ManifestBytes()).Replace("\"id\": \"abdomen-ct-seg\",", "\"id\": \"abdomen-ct-seg\", \"id\": \"evil\",", StringComparison.Ordinal));
        var path = archive.Write(temp["a.mimb"], publisher.Key, publisher.Now, bytes);

        Assert.Equal(RefusalReason.Malformed, Refusal(path));
    }

    [Fact]
    public void A_bundle_declaring_more_bytes_than_the_limit_is_refused_before_reading()
    {
        var limits = new VerificationLimits { MaxExpandedBytes = 900 };

        Assert.Equal(RefusalReason.TooLarge, Refusal(Signed(HostileArchive.Honest()), limits: limits));
    }

    [Fact]
    public void A_bundle_with_more_files_than_the_limit_is_refused()
    {
        var limits = new VerificationLimits { MaxFiles = 1 };

        Assert.Equal(RefusalReason.TooLarge, Refusal(Signed(HostileArchive.Honest()), limits: limits));
    }

    [Fact]
    public void A_zip_bomb_declared_honestly_is_refused_before_anything_is_decompressed()
    {
        var bomb = new byte[64 << 20];
        var archive = new HostileArchive();
        archive.AddListed("configs/metadata.json", archive.Metadata);
        archive.AddListed("models/head.safetensors", bomb);

        Assert.Equal(RefusalReason.TooLarge, Refusal(Signed(archive), limits: new VerificationLimits { MaxExpandedBytes = 1 << 20 }));
    }

    [Fact]
    public void A_zip_bomb_whose_headers_and_manifest_claim_a_small_size_is_never_expanded_past_it()
    {
        // 64 MiB of zeros deflate to ~64 KiB; both headers and the signed manifest say 1,000 bytes. The bytes actually
        // read are counted: at most the declared size (+1 to detect more) ever leaves the decompressor.
        var bomb = new byte[64 << 20];
        var archive = new HostileArchive();
        archive.AddListed("configs/metadata.json", archive.Metadata);
        archive.ManifestFiles.Add(new ManifestFile("models/head.safetensors", 1000, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bomb.AsSpan(0, 1000)))));
        archive.AddEntry("abdomen-ct-seg/models/head.safetensors", bomb);
        var path = Signed(archive);
        ZipPatch.ClaimUncompressedSize(path, "abdomen-ct-seg/models/head.safetensors", 1000);
        var written = new Dictionary<string, MemoryStream>();

        try
        {
            new ArchiveVerifier(publisher.Trust(), clock: publisher.Clock).Read(path, null, name => written[name] = new MemoryStream());
        }
        catch (BundleRefusedException e)
        {
            Assert.Equal(RefusalReason.TooLarge, e.Reason);
        }

        Assert.True(written["models/head.safetensors"].ToArray().Length <= 1001);
    }

    [Fact]
    public void A_header_claiming_another_size_than_the_manifest_is_refused()
    {
        var archive = HostileArchive.Honest();
        var path = Signed(archive);
        ZipPatch.ClaimUncompressedSize(path, "abdomen-ct-seg/models/head.safetensors", 10);

        Assert.Equal(RefusalReason.ChangedFile, Refusal(path));
    }

    [Fact]
    public void Metadata_disagreeing_with_the_signed_manifest_is_refused()
    {
        var archive = new HostileArchive { Metadata = """{"id": "abdomen-ct-seg", "version": "9.9.9"}"""u8.ToArray() };
        archive.AddListed("configs/metadata.json", archive.Metadata);

        Assert.Equal(RefusalReason.MetadataMismatch, Refusal(Signed(archive)));
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_refused_as_malformed()
    {
        File.WriteAllText(temp["a.mimb"], "not a zip at all");

        Assert.Equal(RefusalReason.Malformed, Refusal(temp["a.mimb"]));
    }

    [Fact]
    public void A_truncated_archive_is_refused_as_malformed()
    {
        var path = Signed(HostileArchive.Honest());
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        Assert.Equal(RefusalReason.Malformed, Refusal(path));
    }

    private static void ReplaceEntry(string path, string name, byte[] data)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        zip.GetEntry(name)!.Delete();
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(data);
    }
}
