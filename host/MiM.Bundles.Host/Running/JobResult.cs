using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;

namespace MiM.Bundles.Host.Running;

/// <summary>How a job ended.</summary>
public enum JobStatus
{
    /// <summary>The bundle produced its result.</summary>
    Succeeded,

    /// <summary>The bundle threw (including out of memory); <see cref="JobResult.Error"/> says what.</summary>
    Failed,

    /// <summary>The bundle did not finish within the per-job timeout.</summary>
    TimedOut,

    /// <summary>The host stopped before the job finished.</summary>
    Cancelled,

    /// <summary>The bundle's queue was full or the bundle no longer serves; nothing ran.</summary>
    Rejected,
}

/// <summary>What one job produced.</summary>
/// <param name="BundleId">The bundle id.</param>
/// <param name="BundleVersion">The version that ran it.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Labels">A segmentation's label map.</param>
/// <param name="Classification">A classification's result.</param>
/// <param name="Error">Why it did not succeed.</param>
/// <param name="Features">An encoder's features; the caller owns and disposes them.</param>
public sealed record JobResult(
    string BundleId,
    string BundleVersion,
    JobStatus Status,
    LabelMap? Labels = null,
    ClassificationResult? Classification = null,
    string? Error = null,
    IEncodedFeatures? Features = null);
