using Microsoft.Extensions.Hosting;

namespace MiM.Bundles.Packaging.Repository;

/// <summary>
/// The repository server's lifetime: its owner stops it. The default console lifetime would take Ctrl+C and SIGTERM
/// for itself, so a `mim repo serve` waiting on its own cancellation would never hear them.
/// </summary>
internal sealed class CallerOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
