using System.Text.Json;
using MiM.Bundles.Contracts.Bundles;

namespace MiM.Bundles.Host.Catalog;

/// <summary>Reads one JSON config of a bundle, turning a missing or malformed file into a problem.</summary>
internal static class ConfigFile
{
    /// <summary>The root element (cloned), or null after adding a problem naming the file.</summary>
    public static JsonElement? Parse(string folder, string relative, ICollection<BundleProblem> problems)
    {
        var path = BundleLayout.PathIn(folder, relative);
        if (!File.Exists(path))
        {
            problems.Add(new(relative, "", "missing"));
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), BundleJson.DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(relative, "", $"must be a JSON object, is {document.RootElement.ValueKind}"));
                return null;
            }

            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            problems.Add(new(relative, "", $"malformed JSON: {e.Message}"));
            return null;
        }
    }
}
