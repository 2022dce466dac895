using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiM.Bundles.Dicom.Network.Assembly;
using MiM.Bundles.Dicom.Network.Inbox;

namespace MiM.Bundles.Host.Serving;

/// <summary>
/// Follows the inbox with the series assembler: a series is handed to <see cref="SeriesIntake"/> after its quiet
/// period. At start the assembler re-reads what was stored but not handed on; on stop it waits for hand-ons in progress.
/// </summary>
public sealed class AssemblerService(DurableInbox inbox, SeriesIntake intake, ServePaths paths, IOptions<ServeOptions> options, TimeProvider time, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private SeriesAssembler? _assembler;

    /// <summary>Series waiting for their quiet period.</summary>
    public int PendingSeries => _assembler?.PendingGroups ?? 0;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _assembler = new SeriesAssembler(
            new SeriesAssemblerOptions { StateFolder = paths.Assembler, QuietPeriod = TimeSpan.FromSeconds(options.Value.QuietPeriodSeconds) },
            intake,
            time,
            loggers.CreateLogger<SeriesAssembler>());
        _assembler.Start(inbox);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_assembler is { } assembler)
        {
            _assembler = null;
            await assembler.DisposeAsync().ConfigureAwait(false);
        }
    }
}
