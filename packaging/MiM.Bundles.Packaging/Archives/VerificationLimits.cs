namespace MiM.Bundles.Packaging.Archives;

/// <summary>How much an archive may expand to; checked on the bytes actually read, never on a header's claim.</summary>
public sealed record VerificationLimits
{
    /// <summary>The defaults: 8 GiB of files, 10,000 files.</summary>
    public static VerificationLimits Default { get; } = new();

    /// <summary>The most bytes all files of a bundle may expand to.</summary>
    public long MaxExpandedBytes { get; init; } = 8L << 30;

    /// <summary>The most files a bundle may have.</summary>
    public int MaxFiles { get; init; } = 10_000;

    /// <summary>The largest manifest.json accepted.</summary>
    public int MaxManifestBytes { get; init; } = 4 << 20;

    /// <summary>The largest manifest.sig (or configs/metadata.json) accepted.</summary>
    public int MaxSmallDocumentBytes { get; init; } = 1 << 20;
}
