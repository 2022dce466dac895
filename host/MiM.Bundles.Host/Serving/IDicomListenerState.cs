namespace MiM.Bundles.Host.Serving;

/// <summary>Whether the host's storage SCP accepts associations now (one input to readiness).</summary>
public interface IDicomListenerState
{
    /// <summary>True while the SCP is listening.</summary>
    bool IsListening { get; }
}
