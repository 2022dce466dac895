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
}
