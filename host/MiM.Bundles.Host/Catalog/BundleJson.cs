using System.Text.Json;

namespace MiM.Bundles.Host.Catalog;

/// <summary>The JSON conventions of bundle configs: snake_case, comments and trailing commas allowed, indented on writing.</summary>
public static class BundleJson
{
    /// <summary>Options for reading and writing configs/*.json.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Options for parsing a config as a document.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
}
