namespace MiM.Bundles.Host.Running;

/// <summary>Settings of each bundle version's job queue.</summary>
public sealed record BundleWorkerOptions
{
    /// <summary>Jobs waiting beyond the one running; more are rejected (the caller retries or routes elsewhere).</summary>
    public int QueueCapacity { get; init; } = 16;

    /// <summary>How long one job may run before it is cancelled and reported as timed out.</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
