using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Host.Loading;

/// <summary>
/// Finds the plugin assembly that implements a bundle: its own <c>lib/</c> when it has one (the main assembly is
/// the one with a <c>.deps.json</c> beside it, or the only assembly), else the built-in plugin for its kind.
/// </summary>
/// <param name="builtIn">Kind → main assembly of the built-in plugins.</param>
public sealed class PluginLocator(IReadOnlyDictionary<string, string> builtIn)
{
    /// <summary>A locator that knows no built-in kinds (only bundles with lib/ load).</summary>
    public static PluginLocator LibOnly { get; } = new(new Dictionary<string, string>());

    /// <summary>The built-in kinds.</summary>
    public IReadOnlyCollection<string> BuiltInKinds => [.. builtIn.Keys];

    /// <summary>Builds a locator from built-in plugin assemblies, asking each (loaded once, then unloaded) which kinds it implements.</summary>
    public static PluginLocator FromAssemblies(IEnumerable<string> assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assembly in assemblies)
        {
            using var plugin = PluginLoaderFactory.Load(assembly);
            foreach (var kind in plugin.Providers.SelectMany(p => p.Kinds))
            {
                kinds.TryAdd(kind, assembly);
            }
        }

        return new PluginLocator(kinds);
    }

    /// <summary>The main assembly for the bundle in <paramref name="folder"/> of <paramref name="kind"/>.</summary>
    /// <exception cref="BundleLoadException">Neither lib/ nor a built-in plugin implements the kind.</exception>
    public string MainAssemblyFor(string folder, string kind)
    {
        var lib = BundleLayout.PathIn(folder, BundleLayout.Lib);
        if (Directory.Exists(lib))
        {
            var deps = Directory.GetFiles(lib, "*.deps.json");
            var dlls = Directory.GetFiles(lib, "*.dll");
            if (deps.Length == 1)
            {
                return Path.Combine(lib, Path.GetFileName(deps[0])[..^".deps.json".Length] + ".dll");
            }

            if (dlls.Length == 1)
            {
                return dlls[0];
            }

            throw new BundleLoadException($"lib/ holds {dlls.Length} assemblies and {deps.Length} .deps.json files: cannot tell the plugin's main assembly (publish the plugin so it has one .deps.json)");
        }

        return builtIn.TryGetValue(kind, out var assembly)
            ? assembly
            : throw new BundleLoadException($"no plugin implements kind \"{kind}\": the bundle has no lib/ and the built-in kinds are {string.Join(", ", builtIn.Keys.Order(StringComparer.Ordinal))}");
    }
}
