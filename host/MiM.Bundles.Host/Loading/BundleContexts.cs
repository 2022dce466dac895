using System.Text.Json;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Host.Loading;

/// <summary>Makes the <see cref="BundleContext"/> the host hands a bundle.</summary>
public static class BundleContexts
{
    /// <summary>The context of the bundle in <paramref name="folder"/> running on <paramref name="device"/>.</summary>
    public static BundleContext For(string folder, BundleMetadata metadata, JsonElement inference, string device, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new BundleContext(Path.GetFullPath(folder), metadata.Id ?? "", metadata.Version ?? "", metadata.Kind ?? "", device, logger, inference);
    }
}
