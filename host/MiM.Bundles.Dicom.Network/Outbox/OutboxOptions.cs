namespace MiM.Bundles.Dicom.Network.Outbox;

/// <summary>Where the outbox keeps its queue and how it retries.</summary>
public sealed record OutboxOptions
{
    /// <summary>The outbox folder: <c>&lt;destination&gt;/&lt;job&gt;/</c> pending, <c>dead-letter/</c>, <c>sent/</c>.</summary>
    public required string Root { get; init; }

    /// <summary>The wait after the first failed attempt; each further failure doubles it.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A job that failed this many attempts goes to the dead-letter folder.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>Each wait is shortened by a random part of up to this fraction, so jobs that failed together do not
    /// all retry in the same instant (0 = exact schedule, 1 = anywhere between 0 and the full wait).</summary>
    public double JitterFraction { get; init; } = 0.2;

    /// <summary>
    /// Hard-link enqueued files into the job instead of copying them (same volume only; falls back to a copy). Faster
    /// for large results, but the job then shares the file's data: a writer that later rewrites the same path in place
    /// changes the queued job too. Off by default: results are small and a copy is immune to that.
    /// </summary>
    public bool HardLinkFiles { get; init; }

    /// <summary>Keep delivered jobs under <c>sent/</c> instead of deleting them.</summary>
    public bool KeepSent { get; init; }
}
