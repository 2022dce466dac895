using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// Keeps the catalog in step with the bundle directory: a FileSystemWatcher triggers a rescan after a quiet period, and
/// a periodic rescan catches what the watcher misses. Only folders marked complete load (<see cref="CompletionMarker"/>).
/// </summary>
/// <param name="catalog">The catalog to scan.</param>
/// <param name="options">Directory and intervals.</param>
/// <param name="logger">Logs scan failures.</param>
public sealed partial class BundleCatalogService(BundleCatalog catalog, BundleCatalogOptions options, ILogger<BundleCatalogService> logger) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(options.Directory);
        using var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(options.Directory)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.LastWrite,
        };
        FileSystemEventHandler signal = (_, _) => changed.Release();
        watcher.Created += signal;
        watcher.Deleted += signal;
        watcher.Changed += signal;
        watcher.Renamed += (_, _) => changed.Release();
        watcher.EnableRaisingEvents = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await catalog.ScanAsync(stoppingToken).ConfigureAwait(false);
                if (await changed.WaitAsync(options.RescanInterval, stoppingToken).ConfigureAwait(false))
                {
                    // Let a burst of events (a copy in progress) settle, then scan once.
                    await Task.Delay(options.QuietPeriod, stoppingToken).ConfigureAwait(false);
                    while (changed.CurrentCount > 0)
                    {
                        await changed.WaitAsync(stoppingToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (IOException e)
            {
                LogScanFailed(logger, options.Directory, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scanning the bundle directory {Directory} failed: {Message}")]
    private static partial void LogScanFailed(ILogger logger, string directory, string message);
}
