using MiM.Bundles.Host.Loading;

namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>Where the built-in bundle kinds live: plugins/standard/ next to the executable, loaded like any plugin.</summary>
internal static class StandardPlugins
{
    public static string Assembly => Path.Combine(AppContext.BaseDirectory, "plugins", "standard", "MiM.Bundles.Standard.dll");

    public static PluginLocator Locator() => PluginLocator.FromAssemblies([Assembly]);
}
