namespace MiM.Bundles.Dicom.Network.UpperLayer;

/// <summary>The peer broke the upper layer protocol; the association is aborted with <see cref="Abort"/>.</summary>
internal sealed class UpperLayerProtocolException : Exception
{
    public UpperLayerProtocolException()
    {
    }

    public UpperLayerProtocolException(string message) : base(message)
    {
    }

    public UpperLayerProtocolException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public UpperLayerProtocolException(AbortReason abort, string message) : base(message)
    {
        Abort = abort;
    }

    /// <summary>The A-ABORT to send.</summary>
    public AbortReason Abort { get; } = AbortReason.NotSpecified;
}
