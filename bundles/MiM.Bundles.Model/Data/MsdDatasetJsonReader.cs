using System.Text.Json;

namespace MiM.Bundles.Model.Data;

/// <summary>Reads the image paths of a Medical Segmentation Decathlon <c>dataset.json</c>.</summary>
internal static class MsdDatasetJsonReader
{
    /// <summary>
    /// The <c>training</c> entries' <c>image</c> paths, then the <c>test</c> entries (plain strings or objects with
    /// <c>image</c>), made absolute against the json's folder. Labels are not needed for self-supervised pre-training.
    /// </summary>
    /// <exception cref="PretrainDataException">The file is not valid JSON or an entry has no image path.</exception>
    public static IReadOnlyList<string> ReadImagePaths(string jsonPath)
    {
        var folder = Path.GetDirectoryName(jsonPath) ?? ".";
        var files = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(jsonPath));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new PretrainDataException($"Dataset description '{jsonPath}' is not a JSON object.");
            }

            foreach (var section in (ReadOnlySpan<string>)["training", "test"])
            {
                if (!document.RootElement.TryGetProperty(section, out var entries))
                {
                    continue;
                }

                if (entries.ValueKind != JsonValueKind.Array)
                {
                    throw new PretrainDataException($"Dataset description '{jsonPath}': '{section}' is not an array.");
                }

                var index = 0;
                foreach (var entry in entries.EnumerateArray())
                {
                    var image = ImageOf(entry)
                        ?? throw new PretrainDataException($"Dataset description '{jsonPath}': {section}[{index}] has no image path.");
                    files.Add(Path.GetFullPath(Path.Combine(folder, image)));
                    index++;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new PretrainDataException($"Dataset description '{jsonPath}' is not valid JSON: {ex.Message}", ex);
        }

        return files;
    }

    private static string? ImageOf(JsonElement entry) => entry.ValueKind switch
    {
        JsonValueKind.String => NonEmpty(entry.GetString()),
        JsonValueKind.Object when entry.TryGetProperty("image", out var image) && image.ValueKind == JsonValueKind.String
            => NonEmpty(image.GetString()),
        _ => null,
    };

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
