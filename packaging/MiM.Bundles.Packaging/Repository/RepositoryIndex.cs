namespace MiM.Bundles.Packaging.Repository;

/// <summary>
/// The signed content of a repository's index.json: every published release, and a sequence number that grows with
/// each publish, so a client refuses an older index replayed at it.
/// </summary>
public sealed record RepositoryIndex
{
    /// <summary>The format tag this version writes and accepts.</summary>
    public const string CurrentFormat = "mim-repo-index/1";

    /// <summary>Always <see cref="CurrentFormat"/>.</summary>
    public required string Format { get; init; }

    /// <summary>One more than the previous index's.</summary>
    public required long Sequence { get; init; }

    /// <summary>When it was written (UTC).</summary>
    public required DateTimeOffset Generated { get; init; }

    /// <summary>The releases, by id then version.</summary>
    public required IReadOnlyList<IndexRelease> Releases { get; init; }
}
