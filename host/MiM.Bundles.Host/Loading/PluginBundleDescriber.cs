using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Host.Loading;

/// <summary>Describes a bundle through the provider of its kind, loading the plugin for the call and unloading it after.</summary>
/// <param name="locator">Where each kind's plugin is.</param>
public sealed class PluginBundleDescriber(PluginLocator locator) : IBundleDescriber
{
    /// <inheritdoc/>
    public BundleDescription Describe(string folder, BundleMetadata metadata, JsonElement inference)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        try
        {
            using var plugin = PluginLoaderFactory.Load(locator.MainAssemblyFor(folder, metadata.Kind!));
            var provider = plugin.ProviderOf(metadata.Kind!)
                ?? throw new BundleLoadException($"plugin {Path.GetFileName(plugin.MainAssembly)} does not implement kind \"{metadata.Kind}\"");
            return provider.Describe(BundleContexts.For(folder, metadata, inference, "cpu", NullLogger.Instance));
        }
        catch (BundleLoadException e)
        {
            return BundleDescription.Failed(new BundleProblem(BundleLayout.Metadata, "kind", e.Message));
        }
    }
}
