using Microsoft.Extensions.Hosting;
using MiM.Bundles.Dicom.Network.Outbox;

namespace MiM.Bundles.Host.Serving;

/// <summary>Runs the outbox's delivery workers (one per destination) for the life of the host.</summary>
public sealed class OutboxService(DicomOutbox outbox) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await outbox.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stop: what is not delivered stays in the outbox for the next start.
        }
    }
}
