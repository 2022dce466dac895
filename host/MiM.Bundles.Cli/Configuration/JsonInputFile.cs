using System.Text.Json;

namespace MiM.Bundles.Cli.Configuration;

/// <summary>
/// Opens the JSON files the CLI reads from the user (segments, classification results): comments and trailing commas
/// allowed, and a syntax error reported as a <see cref="FormatException"/> naming the file, like every other input error.
/// </summary>
internal static class JsonInputFile
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Parses the file at <paramref name="path"/>; the caller disposes the document.</summary>
    /// <exception cref="FormatException">Not valid JSON; the message names the file.</exception>
    public static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not valid JSON: {e.Message}", e);
        }
    }
}
