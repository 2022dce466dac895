using System.Text.Json.Serialization;

namespace MiM.Bundles.Packaging.Repository;

/// <summary>One published archive in a repository index.</summary>
public sealed record IndexRelease
{
    /// <summary>The bundle id.</summary>
    public required string Id { get; init; }

    /// <summary>The bundle version (semver).</summary>
    public required string Version { get; init; }

    /// <summary>The channel it is on.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<ReleaseChannel>))]
    public required ReleaseChannel Channel { get; init; }

    /// <summary>The archive's file name, relative to the repository root (a single name, no folders).</summary>
    public required string Archive { get; init; }

    /// <summary>The archive's size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Lower-case hex SHA-256 of the archive file.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The id of the key that signed the archive's manifest.</summary>
    public required string KeyId { get; init; }

    /// <summary>The archive's detached manifest signature (base64 of manifest.sig), so mirrors can show who vouched for it.</summary>
    public required string ManifestSignature { get; init; }

    /// <summary>What the bundle requires, id to npm-style range (from its metadata).</summary>
    public IReadOnlyDictionary<string, string> Requires { get; init; } = new Dictionary<string, string>();

    /// <summary>The contracts version it was built against (from its metadata).</summary>
    public string? ContractsVersion { get; init; }

    /// <summary>This version's changelog line (from its metadata).</summary>
    public string? Changelog { get; init; }
}
