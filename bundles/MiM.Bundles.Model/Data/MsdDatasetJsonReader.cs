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

    /// <summary>
    /// The <c>image</c>/<c>label</c> pairs of one section (<c>training</c> or <c>validation</c>), made absolute against the
    /// json's folder; an absent section gives none.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON or an entry lacks an image or a label.</exception>
    public static IReadOnlyList<(string Image, string Label)> ReadLabelledCases(string jsonPath, string section) =>
        ReadSection<(string, string)>(jsonPath, section, "an image and a label path", (entry, folder) =>
        {
            var label = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String
                ? NonEmpty(l.GetString())
                : null;
            return ImageOf(entry) is { } image && label is not null
                ? (Path.GetFullPath(Path.Combine(folder, image)), Path.GetFullPath(Path.Combine(folder, label)))
                : null;
        });

    /// <summary>
    /// The <c>image</c> path and the integer field <paramref name="key"/> (for example <c>"lesion": 1</c>) of every entry of
    /// one section, the path made absolute against the json's folder; an absent section gives none.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON, or an entry lacks an image or an integer <paramref name="key"/>.</exception>
    public static IReadOnlyList<(string Image, int Class)> ReadClassifiedCases(string jsonPath, string section, string key) =>
        ReadSection<(string, int)>(jsonPath, section, $"an image path and an integer \"{key}\" (data.caseLabel)", (entry, folder) =>
            ImageOf(entry) is { } image
            && entry.ValueKind == JsonValueKind.Object
            && entry.TryGetProperty(key, out var value)
            && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt32(out var label)
                ? (Path.GetFullPath(Path.Combine(folder, image)), label)
                : null);

    /// <summary>Reads every entry of one section with <paramref name="read"/> (null: the entry lacks <paramref name="needs"/>).</summary>
    private static List<T> ReadSection<T>(string jsonPath, string section, string needs, Func<JsonElement, string, T?> read)
        where T : struct
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(jsonPath)) ?? ".";
        var cases = new List<T>();
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(jsonPath));
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty(section, out var entries))
            {
                return cases;
            }

            var index = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                cases.Add(read(entry, folder)
                    ?? throw new InvalidDataException($"Dataset description '{jsonPath}': {section}[{index}] needs {needs}."));
                index++;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"Dataset description '{jsonPath}' is not a valid MSD dataset.json: {e.Message}", e);
        }

        return cases;
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
