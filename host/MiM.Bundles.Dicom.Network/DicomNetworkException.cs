using MiM.Bundles.Dicom.Network.Outbox;

namespace MiM.Bundles.Dicom.Network;

/// <summary>A network-level failure: connection refused or lost, association rejected or aborted, protocol error.</summary>
public sealed class DicomNetworkException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DicomNetworkException()
    {
    }

    /// <summary>Creates the exception with a message that says what failed and with whom.</summary>
    public DicomNetworkException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public DicomNetworkException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an association that broke after the peer had answered some files.</summary>
    public DicomNetworkException(string message, Exception innerException, IReadOnlyList<FileSendOutcome> outcomes) : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        Outcomes = outcomes;
    }

    /// <summary>
    /// The files the peer answered (or that were settled without sending) before the failure: a file answered
    /// Success here is stored at the peer and must not be sent again. Empty when nothing was answered.
    /// </summary>
    public IReadOnlyList<FileSendOutcome> Outcomes { get; } = [];
}
