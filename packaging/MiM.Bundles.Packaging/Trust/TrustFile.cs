namespace MiM.Bundles.Packaging.Trust;

/// <summary>trust.json in a trust-store folder: which keys may publish what, and which keys are revoked.</summary>
internal sealed record TrustFile
{
    public const string FileName = "trust.json";

    public const string CurrentFormat = "mim-trust/1";

    public required string Format { get; init; }

    public IReadOnlyList<TrustFileEntry> Publishers { get; init; } = [];

    /// <summary>Key ids, or "sha256:" fingerprints of public keys.</summary>
    public IReadOnlyList<string> Revoked { get; init; } = [];
}

/// <summary>One publisher in trust.json.</summary>
internal sealed record TrustFileEntry
{
    public required string KeyId { get; init; }

    public IReadOnlyList<string> Bundles { get; init; } = [];

    public bool Index { get; init; }
}
