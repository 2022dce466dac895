using System.Text.Json;
using System.Text.Json.Serialization;

namespace MiM.Bundles.Packaging;

/// <summary>
/// The one JSON setting for every signed document: snake_case names, and duplicate properties refused, so two readers
/// can never see different values in the same signed bytes ({"id":"a","id":"b"} is the classic parser-differential trick).
/// </summary>
internal static class StrictJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        AllowDuplicateProperties = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        // These documents are never embedded in HTML; keep base64 '+' readable instead of \u002B.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };
}
