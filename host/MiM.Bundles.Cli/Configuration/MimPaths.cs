namespace MiM.Bundles.Cli.Configuration;

/// <summary>
/// Where the host reads bundles and settings from. Environment variables win, so a service unit or a
/// container can relocate both without a rebuild.
/// </summary>
internal sealed record MimPaths(string BundleDirectory, string ConfigDirectory)
{
    /// <summary>Overrides the bundle folder.</summary>
    public const string BundleDirectoryVariable = "MIM_BUNDLE_DIR";

    /// <summary>Overrides the settings folder.</summary>
    public const string ConfigDirectoryVariable = "MIM_CONFIG_DIR";

    public static MimPaths Resolve(Func<string, string?> environment)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var bundles = environment(BundleDirectoryVariable) is { Length: > 0 } b
            ? b
            : Path.Combine(home, ".mim", "bundles");
        var configs = environment(ConfigDirectoryVariable) is { Length: > 0 } c
            ? c
            : Path.Combine(AppContext.BaseDirectory, "configs");
        return new MimPaths(Path.GetFullPath(bundles), Path.GetFullPath(configs));
    }
}
