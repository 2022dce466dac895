namespace MiM.Bundles.Dicom.Network.Inbox;

/// <summary>An instance the inbox made durable: where it is and what it belongs to (what the series assembler groups by).</summary>
/// <param name="StudyInstanceUid">Study Instance UID (0020,000D) read from the stored header.</param>
/// <param name="SeriesInstanceUid">Series Instance UID (0020,000E) read from the stored header.</param>
/// <param name="SopInstanceUid">SOP Instance UID; also the file's name.</param>
/// <param name="SopClassUid">SOP Class UID of the C-STORE request (or of the stored meta group after a restart).</param>
/// <param name="FilePath">The Part 10 file under the inbox's instances folder.</param>
/// <param name="CallingAeTitle">The sender's AE title (Source Application Entity Title (0002,0016) after a restart).</param>
public sealed record CommittedInstance(
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string SopInstanceUid,
    string SopClassUid,
    string FilePath,
    string CallingAeTitle);
