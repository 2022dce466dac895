namespace MiM.Bundles.Dicom.IO;

/// <summary>
/// The 128-byte preamble, "DICM" and the file meta group of a Part 10 file, for writers that already hold the data
/// set's bytes in a transfer syntax (a storage SCP writes what it received, byte for byte, after this header).
/// </summary>
public static class DicomPart10Header
{
    /// <summary>Writes preamble and meta information for one instance.</summary>
    /// <param name="stream">Destination, positioned at the start of the file.</param>
    /// <param name="sopClassUid">Media Storage SOP Class UID (0002,0002).</param>
    /// <param name="sopInstanceUid">Media Storage SOP Instance UID (0002,0003).</param>
    /// <param name="transferSyntaxUid">Transfer syntax of the data set bytes that follow (0002,0010).</param>
    /// <param name="sourceApplicationEntityTitle">The sender's AE title (0002,0016), when known.</param>
    public static void Write(Stream stream, string sopClassUid, string sopInstanceUid, string transferSyntaxUid, string? sourceApplicationEntityTitle = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(sopClassUid);
        ArgumentException.ThrowIfNullOrEmpty(sopInstanceUid);
        ArgumentException.ThrowIfNullOrEmpty(transferSyntaxUid);
        DicomFileWriter.WriteMeta(stream, DicomFileWriter.Meta(sopClassUid, sopInstanceUid, transferSyntaxUid, sourceApplicationEntityTitle));
    }
}
