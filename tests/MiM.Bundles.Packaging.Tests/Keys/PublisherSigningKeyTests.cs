using System.Security.Cryptography;
using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Tests.Fixtures;

namespace MiM.Bundles.Packaging.Tests.Keys;

public sealed class PublisherSigningKeyTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Save_writes_a_private_key_readable_only_by_its_owner_and_a_public_key()
    {
        using var key = PublisherSigningKey.Generate("acme-2026", Publisher.Created, Publisher.Created.AddYears(2));

        var (privatePath, publicPath) = key.Save(temp.Path);

        Assert.Equal(temp["acme-2026.key"], privatePath);
        Assert.Equal(temp["acme-2026.pub"], publicPath);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privatePath));
        }

        Assert.DoesNotContain("PRIVATE", File.ReadAllText(publicPath), StringComparison.Ordinal);
    }

    [Fact]
    public void Saved_keys_load_back_with_their_id_and_expiry_and_sign_verifiably()
    {
        using (var key = PublisherSigningKey.Generate("acme", Publisher.Created, Publisher.Created.AddYears(2)))
        {
            key.Save(temp.Path);
        }

        using var loaded = PublisherSigningKey.Load(temp["acme.key"]);
        using var publicKey = PublisherKey.Load(temp["acme.pub"]);
        var signature = loaded.Sign("hello"u8, Publisher.Created.AddDays(1));

        Assert.Equal("acme", publicKey.KeyId);
        Assert.Equal(Publisher.Created.AddYears(2), publicKey.Document.Expires);
        Assert.True(publicKey.Verify("hello"u8, signature));
        Assert.False(publicKey.Verify("hellO"u8, signature));
    }

    [Fact]
    public void The_public_key_block_is_a_standard_subject_public_key_info()
    {
        using var key = PublisherSigningKey.Generate("acme", Publisher.Created, Publisher.Created.AddYears(2));
        using var ecdsa = ECDsa.Create();

        ecdsa.ImportFromPem(key.PublicKey.ToPem());

        Assert.Equal(256, ecdsa.KeySize);
    }

    [Fact]
    public void Saving_over_an_existing_key_is_refused()
    {
        using var key = PublisherSigningKey.Generate("acme", Publisher.Created, Publisher.Created.AddYears(2));
        key.Save(temp.Path);

        Assert.Throws<IOException>(() => key.Save(temp.Path));
    }

    [Fact]
    public void A_public_key_file_whose_expiry_was_edited_is_refused()
    {
        using var key = PublisherSigningKey.Generate("acme", Publisher.Created, Publisher.Created.AddYears(1));
        var forged = key.PublicKey.Document with { Expires = Publisher.Created.AddYears(50) };
        var text = key.PublicKey.ToPem();
        var original = PemEncoding.WriteString("MIM KEY DOCUMENT", key.PublicKey.Document.ToBytesForTest());
        var edited = text.Replace(original, PemEncoding.WriteString("MIM KEY DOCUMENT", forged.ToBytesForTest()), StringComparison.Ordinal);

        Assert.NotEqual(text, edited);
        Assert.Throws<FormatException>(() => PublisherKey.Parse(edited, "edited.pub"));
    }

    [Fact]
    public void A_key_document_moved_onto_another_key_is_refused()
    {
        using var first = PublisherSigningKey.Generate("acme", Publisher.Created, Publisher.Created.AddYears(1));
        using var second = PublisherSigningKey.Generate("acme", Publisher.Created, Publisher.Created.AddYears(1));
        var firstPem = first.PublicKey.ToPem();
        var secondPem = second.PublicKey.ToPem();
        var spliced = secondPem[..secondPem.IndexOf("-----BEGIN MIM KEY DOCUMENT-----", StringComparison.Ordinal)]
            + firstPem[firstPem.IndexOf("-----BEGIN MIM KEY DOCUMENT-----", StringComparison.Ordinal)..];

        Assert.Throws<FormatException>(() => PublisherKey.Parse(spliced, "spliced.pub"));
    }

    [Fact]
    public void A_key_file_with_a_garbled_document_is_a_format_error()
    {
        var text = PemEncoding.WriteString("PUBLIC KEY", new byte[91]) + "\n" + PemEncoding.WriteString("MIM KEY DOCUMENT", "{not json"u8.ToArray())
            + "\n" + PemEncoding.WriteString("MIM KEY DOCUMENT SIGNATURE", new byte[64]);

        Assert.Throws<FormatException>(() => PublisherKey.Parse(text, "garbled.pub"));
    }

    [Theory]
    [InlineData("ACME")]
    [InlineData("../acme")]
    [InlineData("")]
    public void Invalid_key_ids_are_refused(string id) =>
        Assert.Throws<ArgumentException>(() => PublisherSigningKey.Generate(id, Publisher.Created, Publisher.Created.AddYears(1)));
}
