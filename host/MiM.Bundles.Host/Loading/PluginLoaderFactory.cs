using System.Reflection;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Contracts.Bundles;

namespace MiM.Bundles.Host.Loading;

/// <summary>
/// Loads a plugin assembly (and the dependencies beside it) into a collectible load context that shares the contracts,
/// the logging abstractions and TorchSharp with the host: exactly one native libtorch per process (a second aborts it).
/// </summary>
public static class PluginLoaderFactory
{
    /// <summary>Loads <paramref name="mainAssembly"/> and creates each public <see cref="IBundleProvider"/> it defines.</summary>
    /// <exception cref="BundleLoadException">The assembly cannot be loaded or exports no provider.</exception>
    public static LoadedPlugin Load(string mainAssembly)
    {
        ArgumentException.ThrowIfNullOrEmpty(mainAssembly);
        if (!File.Exists(mainAssembly))
        {
            throw new BundleLoadException($"plugin assembly {mainAssembly} does not exist");
        }

        var loader = PluginLoader.CreateFromAssemblyFile(
            Path.GetFullPath(mainAssembly),
            sharedTypes: [typeof(IBundleProvider), typeof(ILogger)],
            configure: config =>
            {
                config.IsUnloadable = true;
                config.PreferSharedTypes = true;
                config.SharedAssemblies.Add(new AssemblyName("TorchSharp"));
            });
        try
        {
            var providers = loader.LoadDefaultAssembly().GetExportedTypes()
                .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBundleProvider).IsAssignableFrom(t))
                .Select(t => (IBundleProvider)Activator.CreateInstance(t)!)
                .ToList();
            if (providers.Count == 0)
            {
                throw new BundleLoadException($"{Path.GetFileName(mainAssembly)} exports no public {nameof(IBundleProvider)}");
            }

            return new LoadedPlugin(mainAssembly, loader, providers);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException or TargetInvocationException or MissingMethodException)
        {
            loader.Dispose();
            throw new BundleLoadException($"cannot load plugin {Path.GetFileName(mainAssembly)}: {e.Message}", e);
        }
        catch
        {
            loader.Dispose();
            throw;
        }
    }
}
