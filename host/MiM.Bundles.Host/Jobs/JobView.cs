using MiM.Bundles.Host.Shadow;

namespace MiM.Bundles.Host.Jobs;

/// <summary>Where a job stands. A job is one (series, bundle version) pair.</summary>
public enum JobState
{
    /// <summary>Written down, not started.</summary>
    Queued,

    /// <summary>A stage is running.</summary>
    Running,

    /// <summary>Its result went to every destination.</summary>
    Delivered,

    /// <summary>A stage failed; <see cref="JobView.Error"/> says which and why.</summary>
    Failed,

    /// <summary>A shadow job ended: its result stays on the host (never sent), its agreement is recorded.</summary>
    Kept,
}

/// <summary>One stage of a job (load, transforms, encoder, head, write, deliver …) with its times.</summary>
/// <param name="Name">The stage name.</param>
/// <param name="Started">When it started.</param>
/// <param name="Ended">When it ended; null while it runs.</param>
/// <param name="Error">Why it failed; null when it did not.</param>
public sealed record JobStageView(string Name, DateTimeOffset Started, DateTimeOffset? Ended, string? Error);

/// <summary>What the API and the operator see of one job. Carries UIDs, never patient names or IDs.</summary>
/// <param name="Id">The job id (stable across restarts).</param>
/// <param name="StudyInstanceUid">The source study.</param>
/// <param name="SeriesInstanceUid">The source series.</param>
/// <param name="BundleId">The bundle id.</param>
/// <param name="BundleVersion">The bundle version that runs (or ran) it.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Created">When it was written down.</param>
/// <param name="Stages">Each stage so far, in order.</param>
/// <param name="ResultSopInstanceUids">The SOP Instance UIDs of its results (SEG or SR), once written.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Shadow">True for a shadow candidate's job (its result is never sent).</param>
/// <param name="ShadowOf">A shadow job's serving job.</param>
/// <param name="Agreement">A shadow job's agreement with its serving job, once compared.</param>
public sealed record JobView(
    string Id,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string BundleId,
    string BundleVersion,
    JobState State,
    DateTimeOffset Created,
    IReadOnlyList<JobStageView> Stages,
    IReadOnlyList<string> ResultSopInstanceUids,
    string? Error,
    bool Shadow = false,
    string? ShadowOf = null,
    ShadowAgreement? Agreement = null);
