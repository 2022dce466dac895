using MiM.Bundles.Contracts.Bundles;
using Semver;

namespace MiM.Bundles.Host.Catalog;

/// <summary>Finds the encoder bundles in a bundle directory (each sub-folder one bundle version).</summary>
public static class KnownEncoderScanner
{
    /// <summary>Every readable encoder bundle in <paramref name="directory"/> (<see cref="BundleFolders"/>); unreadable folders are skipped.</summary>
    public static IReadOnlyList<KnownEncoder> Scan(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var encoders = new List<KnownEncoder>();
        foreach (var folder in BundleFolders.Enumerate(directory))
        {
            var ignored = new List<BundleProblem>();
            if (MetadataReader.Read(folder, ignored) is { Task: BundleTasks.Encoder, Id: { } id, Version: { } text } metadata
                && SemVersion.TryParse(text, SemVersionStyles.Strict, out var version))
            {
                encoders.Add(new KnownEncoder(id, version, metadata.FeatureFormat));
            }
        }

        return encoders;
    }
}
