using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Signing;

namespace MiM.Bundles.Packaging.Tests.Fixtures;

/// <summary>
/// Hand-crafts .mimb archives entry by entry: any names, attributes, duplicates and a manifest that says whatever the
/// test wants, signed by a key the trust store accepts — the worst case, a trusted publisher turned hostile.
/// </summary>
public sealed class HostileArchive
{
    private readonly List<(string Name, byte[] Data, int Attributes, CompressionLevel Level)> entries = [];

    public HostileArchive(string id = "abdomen-ct-seg", string version = "1.0.0")
    {
        Id = id;
        Version = version;
        Metadata = Encoding.UTF8.GetBytes($$"""{"id": "{{id}}", "version": "{{version}}"}""");
    }

    public string Id { get; }

    public string Version { get; }

    public byte[] Metadata { get; set; }

    /// <summary>Manifest files; by default the entries under the root, listed honestly.</summary>
    public List<ManifestFile> ManifestFiles { get; } = [];

    public static ManifestFile Describe(string path, byte[] data) => new(path, data.Length, Convert.ToHexStringLower(SHA256.HashData(data)));

    /// <summary>A standard, honest bundle: metadata plus one weights file, each listed.</summary>
    public static HostileArchive Honest(string id = "abdomen-ct-seg", string version = "1.0.0")
    {
        var archive = new HostileArchive(id, version);
        archive.AddListed("configs/metadata.json", archive.Metadata);
        archive.AddListed("models/head.safetensors", Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray());
        return archive;
    }

    public HostileArchive AddListed(string path, byte[] data)
    {
        ManifestFiles.Add(Describe(path, data));
        return AddEntry(Id + "/" + path, data);
    }

    public HostileArchive AddEntry(string name, byte[] data, int attributes = unchecked((int)0x81A4_0000), CompressionLevel level = CompressionLevel.Optimal)
    {
        entries.Add((name, data, attributes, level));
        return this;
    }

    public byte[] ManifestBytes() => new ArchiveManifest
    {
        Format = ArchiveManifest.CurrentFormat,
        Id = Id,
        Version = Version,
        Files = ManifestFiles,
    }.ToBytes();

    /// <summary>Writes the archive; signed by <paramref name="key"/> unless null; <paramref name="manifestBytes"/> overrides the manifest.</summary>
    public string Write(string path, PublisherSigningKey? key, DateTimeOffset now, byte[]? manifestBytes = null)
    {
        manifestBytes ??= ManifestBytes();
        using var stream = File.Create(path);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        Put(zip, ArchiveLayout.ManifestEntry, manifestBytes, unchecked((int)0x81A4_0000), CompressionLevel.Optimal);
        if (key is not null)
        {
            Put(zip, ArchiveLayout.SignatureEntry, SignatureDocument.Create(key, manifestBytes, now).ToBytes(), unchecked((int)0x81A4_0000), CompressionLevel.Optimal);
        }

        foreach (var (name, data, attributes, level) in entries)
        {
            Put(zip, name, data, attributes, level);
        }

        return path;
    }

    private static void Put(ZipArchive zip, string name, byte[] data, int attributes, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        entry.ExternalAttributes = attributes;
        using var stream = entry.Open();
        stream.Write(data);
    }
}
