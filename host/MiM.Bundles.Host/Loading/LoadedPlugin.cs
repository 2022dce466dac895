using McMaster.NETCore.Plugins;
using MiM.Bundles.Contracts.Bundles;

namespace MiM.Bundles.Host.Loading;

/// <summary>
/// One plugin assembly loaded into its own collectible load context, with the providers it exports.
/// Disposing unloads the context; it is collected once nothing references a plugin object any more.
/// </summary>
public sealed class LoadedPlugin : IDisposable
{
    private readonly PluginLoader _loader;
    private readonly WeakReference _context;

    internal LoadedPlugin(string mainAssembly, PluginLoader loader, IReadOnlyList<IBundleProvider> providers)
    {
        MainAssembly = mainAssembly;
        _loader = loader;
        Providers = providers;
        _context = new WeakReference(System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(loader.LoadDefaultAssembly()));
    }

    /// <summary>The plugin's main assembly.</summary>
    public string MainAssembly { get; }

    /// <summary>The providers the plugin exports.</summary>
    public IReadOnlyList<IBundleProvider> Providers { get; private set; }

    /// <summary>A weak reference to the load context: dead after <see cref="Dispose"/> and a garbage collection.</summary>
    public WeakReference Context => _context;

    /// <summary>The provider of <paramref name="kind"/>, or null.</summary>
    public IBundleProvider? ProviderOf(string kind) => Providers.FirstOrDefault(p => p.Kinds.Contains(kind));

    /// <summary>Unloads the load context.</summary>
    public void Dispose()
    {
        Providers = [];
        _loader.Dispose();
    }
}
