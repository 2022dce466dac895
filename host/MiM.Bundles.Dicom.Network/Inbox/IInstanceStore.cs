namespace MiM.Bundles.Dicom.Network.Inbox;

/// <summary>
/// Makes a received instance durable. The storage SCP's only way to keep what it receives: it streams the data
/// set's bytes in, and answers C-STORE Success only after <see cref="IIncomingInstance.CommitAsync"/> said so.
/// </summary>
public interface IInstanceStore
{
    /// <summary>Starts receiving one instance.</summary>
    ValueTask<IIncomingInstance> BeginAsync(IncomingInstanceInfo info, CancellationToken cancellationToken);
}

/// <summary>What the C-STORE request says about the instance that follows.</summary>
/// <param name="SopClassUid">Affected SOP Class UID of the request.</param>
/// <param name="SopInstanceUid">Affected SOP Instance UID of the request.</param>
/// <param name="TransferSyntaxUid">Transfer syntax of the presentation context the data set arrives in.</param>
/// <param name="CallingAeTitle">The sender's AE title.</param>
/// <param name="CalledAeTitle">Our AE title as the sender called it.</param>
public sealed record IncomingInstanceInfo(string SopClassUid, string SopInstanceUid, string TransferSyntaxUid, string CallingAeTitle, string CalledAeTitle);

/// <summary>
/// One instance being received. Bytes go to a temporary file; <see cref="CommitAsync"/> makes it durable (file and
/// directory fsynced) and visible. Disposing without a commit discards it: an association that aborts
/// mid-instance leaves nothing half-written where readers look.
/// </summary>
public interface IIncomingInstance : IAsyncDisposable
{
    /// <summary>Appends data set bytes (no meta group), in the transfer syntax of <see cref="IncomingInstanceInfo"/>.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> dataSetBytes, CancellationToken cancellationToken);

    /// <summary>Makes the instance durable; only a <see cref="StoreStatus.Stored"/> or <see cref="StoreStatus.Duplicate"/> outcome may be acknowledged as Success.</summary>
    ValueTask<StoreOutcome> CommitAsync(CancellationToken cancellationToken);
}

/// <summary>What became of a received instance.</summary>
public enum StoreStatus
{
    /// <summary>Written and fsynced.</summary>
    Stored,

    /// <summary>The same SOP Instance UID was already stored; the first copy is kept.</summary>
    Duplicate,

    /// <summary>Refused: free disk below the configured threshold (C-STORE status A700).</summary>
    OutOfResources,

    /// <summary>Refused for another reason, given in <see cref="StoreOutcome.Reason"/> (C-STORE status C000 range).</summary>
    Failed,
}

/// <summary>The outcome of a commit: status, where the file is, and why when it is not stored.</summary>
public sealed record StoreOutcome(StoreStatus Status, string? FilePath, string? Reason);
