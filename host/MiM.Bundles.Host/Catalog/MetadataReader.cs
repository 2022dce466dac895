using System.Text.Json;
using MiM.Bundles.Contracts.Bundles;

namespace MiM.Bundles.Host.Catalog;

/// <summary>Reads configs/metadata.json into <see cref="BundleMetadata"/>.</summary>
public static class MetadataReader
{
    /// <summary>The metadata of the bundle in <paramref name="folder"/>, or null after adding the problem that prevented reading it.</summary>
    public static BundleMetadata? Read(string folder, ICollection<BundleProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (ConfigFile.Parse(folder, BundleLayout.Metadata, problems) is not { } root)
        {
            return null;
        }

        try
        {
            return root.Deserialize<BundleMetadata>(BundleJson.Options);
        }
        catch (JsonException e)
        {
            problems.Add(new(BundleLayout.Metadata, e.Path ?? "", $"malformed: {e.Message}"));
            return null;
        }
    }

    /// <summary>Reads the metadata or throws with every problem found reading it.</summary>
    /// <exception cref="InvalidDataException">The file is missing or malformed.</exception>
    public static BundleMetadata Read(string folder)
    {
        var problems = new List<BundleProblem>();
        return Read(folder, problems) ?? throw new InvalidDataException(string.Join("; ", problems));
    }
}
