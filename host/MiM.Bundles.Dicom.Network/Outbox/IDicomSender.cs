namespace MiM.Bundles.Dicom.Network.Outbox;

/// <summary>A configured place results go to: a storage SCP reached by AE title, host and port.</summary>
/// <param name="Name">The name the configuration knows it by (used in logs and folder names).</param>
/// <param name="CalledAeTitle">The destination's AE title.</param>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">TCP port.</param>
/// <param name="CallingAeTitle">Our AE title towards this destination.</param>
public sealed record DicomDestination(string Name, string CalledAeTitle, string Host, int Port, string CallingAeTitle = "MIMBUNDLES");

/// <summary>Sends Part 10 files to a destination with C-STORE (the outbox's seam to the network).</summary>
public interface IDicomSender
{
    /// <summary>
    /// Sends the files over one association. Throws <see cref="DicomNetworkException"/> when no association could be
    /// made or it broke; otherwise returns the C-STORE status of every file.
    /// </summary>
    Task<IReadOnlyList<FileSendOutcome>> SendAsync(DicomDestination destination, IReadOnlyList<string> files, CancellationToken cancellationToken);
}

/// <summary>The result of sending one file: the DIMSE status the peer answered, or why it was never sent.</summary>
public sealed record FileSendOutcome(string FilePath, ushort? Status, string? Error)
{
    /// <summary>Success (0000) or a warning (B000, B006, B007, 0107, 0116) — the peer kept the instance.</summary>
    public bool Delivered => Status is 0x0000 or 0xB000 or 0xB006 or 0xB007 or 0x0107 or 0x0116;

    /// <summary>Not sent because the peer accepted no presentation context for the file's SOP class and transfer syntax.</summary>
    public bool NoPresentationContext { get; init; }

    /// <summary>
    /// Not delivered, and sending it again to the same destination cannot succeed: a status no retry fixes (see
    /// <see cref="Dimse.DimseStatus.IsPermanentFailure"/>) or a SOP class the peer refused at negotiation.
    /// </summary>
    public bool PermanentFailure => !Delivered && (Status is { } status ? Dimse.DimseStatus.IsPermanentFailure(status) : NoPresentationContext);
}
