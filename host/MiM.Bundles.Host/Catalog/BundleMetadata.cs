namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// configs/metadata.json (snake_case field names, as MONAI bundles write them). Every field is nullable here so that
/// a file missing several fields is read and every omission reported by <see cref="MetadataValidator"/>.
/// </summary>
public sealed record BundleMetadata
{
    /// <summary>Lower-case id, the same for every version, e.g. "phantom-liver-seg".</summary>
    public string? Id { get; init; }

    /// <summary>Semantic version (semver 2.0), e.g. "1.2.0".</summary>
    public string? Version { get; init; }

    /// <summary>The bundle kind that implements it, e.g. "mim-segmentation-head"; a provider of that kind must be built in or in lib/.</summary>
    public string? Kind { get; init; }

    /// <summary>"encoder", "segmentation" or "classification".</summary>
    public string? Task { get; init; }

    /// <summary>Human-readable name.</summary>
    public string? Name { get; init; }

    /// <summary>Version → what changed; must have an entry for <see cref="Version"/>.</summary>
    public IReadOnlyDictionary<string, string>? Changelog { get; init; }

    /// <summary>Who made it.</summary>
    public IReadOnlyList<string>? Authors { get; init; }

    /// <summary>SPDX licence id or name; the text is in LICENSE.</summary>
    public string? License { get; init; }

    /// <summary>The contracts version the bundle was built against, e.g. "1.1.0".</summary>
    public string? ContractsVersion { get; init; }

    /// <summary>Encoder bundle id → npm-style semver range, e.g. {"mim-encoder": "^1.0"}.</summary>
    public IReadOnlyDictionary<string, string>? Requires { get; init; }

    /// <summary>For heads: "shared" (uses the encoder named in <see cref="Requires"/>) or "embedded" (carries its own, fine-tuned with it).</summary>
    public string? Encoder { get; init; }

    /// <summary>For encoders: the feature format they produce; for heads with a shared encoder: the format they read.</summary>
    public string? FeatureFormat { get; init; }

    /// <summary>What the bundle is for and what it is not for.</summary>
    public string? IntendedUse { get; init; }

    /// <summary>Inputs and outputs, MONAI field names.</summary>
    public NetworkDataFormat? NetworkDataFormat { get; init; }
}
