namespace MiM.Bundles.Host.Subscriptions;

/// <summary>What one poll did for one followed bundle.</summary>
/// <param name="Id">The bundle id.</param>
/// <param name="Version">The release chosen, or null when none fits (or the index was refused).</param>
/// <param name="Result">What happened.</param>
/// <param name="Detail">The reason of a refusal, rollback or failure; null otherwise.</param>
public sealed record FollowOutcome(string Id, string? Version, FollowResult Result, string? Detail = null);

/// <summary>What happened to a followed bundle in one poll.</summary>
public enum FollowResult
{
    /// <summary>No release in the index fits the policy.</summary>
    NoRelease,

    /// <summary>The chosen release is installed already; nothing to do.</summary>
    UpToDate,

    /// <summary>The chosen release was refused before (its warm-up failed); it is skipped until a newer one appears.</summary>
    SkippedRefused,

    /// <summary>Downloaded, installed, warmed up, and now serving.</summary>
    Serving,

    /// <summary>Downloaded and installed, but a pin or an unload keeps it from serving.</summary>
    HeldBack,

    /// <summary>Installed, but it failed to load or warm up: refused, and the previous version keeps serving.</summary>
    RolledBack,

    /// <summary>The index, download or archive was refused (signature, trust, hash, policy); nothing installed.</summary>
    Refused,

    /// <summary>The repository could not be reached or the disk failed; tried again at the next poll.</summary>
    Unavailable,
}
