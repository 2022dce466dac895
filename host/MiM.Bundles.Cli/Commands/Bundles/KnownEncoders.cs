using MiM.Bundles.Cli.Configuration;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>The encoders a head may require: those beside the bundle being checked and those in the bundle directory.</summary>
internal static class KnownEncoders
{
    public static IReadOnlyList<KnownEncoder> Around(string bundleFolder)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(bundleFolder).TrimEnd(Path.DirectorySeparatorChar)) ?? ".";
        var bundleDirectory = MimPaths.Resolve(Environment.GetEnvironmentVariable).BundleDirectory;
        return [.. KnownEncoderScanner.Scan(parent).Concat(KnownEncoderScanner.Scan(bundleDirectory)).Distinct()];
    }
}
