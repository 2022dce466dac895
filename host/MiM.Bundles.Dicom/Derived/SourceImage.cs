namespace MiM.Bundles.Dicom.Derived;

/// <summary>One image (or frame of a multi-frame image) of the source series and the plane of the volume it fills.</summary>
/// <param name="SopClassUid">Its SOP Class UID.</param>
/// <param name="SopInstanceUid">Its SOP Instance UID.</param>
/// <param name="FrameNumber">The 1-based frame in a multi-frame instance; null for a single-frame one.</param>
/// <param name="Plane">The plane index k of the source volume.</param>
public sealed record SourceImage(string SopClassUid, string SopInstanceUid, int? FrameNumber, int Plane);
