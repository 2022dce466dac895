namespace MiM.Bundles.Host.Audit;

/// <summary>
/// One line of the audit log: who sent what, which bundle version processed it, which results went where, and
/// every bundle load, unload, pin, install, rollback and refusal. UIDs and AE titles only: never patient names or IDs.
/// </summary>
/// <param name="At">When it happened.</param>
/// <param name="Action">What happened, a fixed word such as <c>received</c>, <c>processed</c>, <c>delivered</c>, <c>bundle-loaded</c>, <c>bundle-refused</c>, <c>bundle-rollback</c>.</param>
/// <param name="CallingAe">The peer's AE title, for what crossed the DICOM boundary.</param>
/// <param name="StudyInstanceUid">The study.</param>
/// <param name="SeriesInstanceUid">The series.</param>
/// <param name="BundleId">The bundle id.</param>
/// <param name="BundleVersion">The bundle version.</param>
/// <param name="ResultSopInstanceUids">Result instances (SEG/SR) concerned.</param>
/// <param name="Destination">Where results went (AE@host:port or a folder).</param>
/// <param name="Detail">Free text: a reason, a count, who asked (API, CLI, subscription).</param>
public sealed record AuditEvent(
    DateTimeOffset At,
    string Action,
    string? CallingAe = null,
    string? StudyInstanceUid = null,
    string? SeriesInstanceUid = null,
    string? BundleId = null,
    string? BundleVersion = null,
    IReadOnlyList<string>? ResultSopInstanceUids = null,
    string? Destination = null,
    string? Detail = null);
