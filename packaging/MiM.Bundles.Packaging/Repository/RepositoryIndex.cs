namespace MiM.Bundles.Packaging.Repository;

/// <summary>
/// The signed content of a repository's index.json: every published release, and a sequence number that grows with
/// each publish, so a client refuses an older index replayed at it, and an optional expiry, so a client notices an index
/// frozen in time.
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

    /// <summary>
    /// After this instant clients refuse the index (null: never). A publisher that sets it re-signs the index before
    /// then (`mim repo refresh`), so a server or mirror that keeps serving an old index is noticed.
    /// </summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>The releases, by id then version.</summary>
    public required IReadOnlyList<IndexRelease> Releases { get; init; }
}
