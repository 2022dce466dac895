using System.Text.Json;
using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Refusals;
using Semver;

namespace MiM.Bundles.Packaging.Archives;

/// <summary>
/// manifest.json: the bundle's id and version and every file with its size and SHA-256. The signature covers its exact
/// bytes, so it is the one document that says what the bundle is.
/// </summary>
public sealed record ArchiveManifest
{
    /// <summary>The format tag this version writes and accepts.</summary>
    public const string CurrentFormat = "mim-manifest/1";

    /// <summary>Always <see cref="CurrentFormat"/>.</summary>
    public required string Format { get; init; }

    /// <summary>The bundle id; also the archive's root folder name.</summary>
    public required string Id { get; init; }

    /// <summary>The bundle version (strict semver 2.0).</summary>
    public required string Version { get; init; }

    /// <summary>Every file of the bundle, sorted by path (ordinal).</summary>
    public required IReadOnlyList<ManifestFile> Files { get; init; }

    /// <summary>The version, parsed.</summary>
    public SemVersion SemanticVersion => SemVersion.Parse(Version, SemVersionStyles.Strict);

    /// <summary>The sum of all file sizes.</summary>
    public long TotalBytes => Files.Sum(file => file.Size);

    /// <summary>The bytes to store and sign.</summary>
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, StrictJson.Options);

    /// <summary>Parses and checks a manifest; refuses a malformed one, unsafe or duplicate paths, and sizes over <paramref name="limits"/>.</summary>
    public static ArchiveManifest Parse(ReadOnlySpan<byte> bytes, VerificationLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArchiveManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ArchiveManifest>(bytes, StrictJson.Options);
        }
        catch (JsonException e)
        {
            throw new BundleRefusedException(RefusalReason.Malformed, $"manifest.json is not valid: {e.Message}", e);
        }

        if (manifest is null || manifest.Format != CurrentFormat || manifest.Files is null)
        {
            throw new BundleRefusedException(RefusalReason.Malformed, $"manifest.json is not a {CurrentFormat} document");
        }

        if (!KeyId.IsValid(manifest.Id))
        {
            throw new BundleRefusedException(RefusalReason.Malformed, $"manifest.json: invalid bundle id '{manifest.Id}'");
        }

        if (!SemVersion.TryParse(manifest.Version, SemVersionStyles.Strict, out _))
        {
            throw new BundleRefusedException(RefusalReason.Malformed, $"manifest.json: version '{manifest.Version}' is not semver 2.0");
        }

        if (manifest.Files.Count > limits.MaxFiles)
        {
            throw new BundleRefusedException(RefusalReason.TooLarge, $"the bundle has {manifest.Files.Count} files, more than the limit of {limits.MaxFiles}");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        foreach (var file in manifest.Files)
        {
            ArchivePath.Require(file.Path);
            if (!seen.Add(file.Path))
            {
                throw new BundleRefusedException(RefusalReason.DuplicateEntry, $"manifest.json lists '{file.Path}' twice");
            }

            if (file.Size < 0 || file.Sha256 is null || file.Sha256.Length != 64 || !file.Sha256.All(char.IsAsciiHexDigitLower))
            {
                throw new BundleRefusedException(RefusalReason.Malformed, $"manifest.json: bad size or sha256 for '{file.Path}'");
            }

            total += file.Size;
            if (total > limits.MaxExpandedBytes)
            {
                throw new BundleRefusedException(RefusalReason.TooLarge, $"the bundle expands to more than the limit of {limits.MaxExpandedBytes} bytes");
            }
        }

        if (!seen.Contains(ArchiveLayout.MetadataPath))
        {
            throw new BundleRefusedException(RefusalReason.MissingFile, $"manifest.json lists no {ArchiveLayout.MetadataPath}");
        }

        return manifest;
    }
}
