using Microsoft.Extensions.Hosting;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Running;

namespace MiM.Bundles.Host.Serving;

/// <summary>
/// Loads and warms the bundles found at start before the SCP opens, so the first series routed finds them serving
/// (a host is ready only with its bundles). The catalog service keeps watching the directory afterwards.
/// </summary>
public sealed class CatalogStartup(BundleCatalog catalog, BundleRunner runner, BundleCatalogOptions options) : IHostedService
{
    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The runner follows the catalog's switches from here on (it subscribes when it is built).
        GC.KeepAlive(runner);
        Directory.CreateDirectory(options.Directory);
        await catalog.ScanAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
