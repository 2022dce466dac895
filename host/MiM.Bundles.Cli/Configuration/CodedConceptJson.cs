using System.Text.Json;
using MiM.Bundles.Contracts.Results;

namespace MiM.Bundles.Cli.Configuration;

/// <summary>Reads the small JSON shapes the result files share: a code {"scheme", "code", "meaning"} and non-empty strings.</summary>
internal static class CodedConceptJson
{
    /// <summary>The code in <paramref name="owner"/>.<paramref name="property"/>; "SRT"/"SNM3" (retired SNOMED designators) are refused.</summary>
    /// <exception cref="FormatException">Missing or incomplete; the message names the file and <paramref name="where"/>.</exception>
    public static CodedConcept Code(string path, string where, JsonElement owner, string property)
    {
        if (owner.ValueKind != JsonValueKind.Object || !owner.TryGetProperty(property, out var code) || code.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{path}: {where}: expected \"{property}\": {{\"scheme\", \"code\", \"meaning\"}}");
        }

        var scheme = Text(path, $"{where} {property}", code, "scheme");
        if (scheme is "SRT" or "SNM3")
        {
            throw new FormatException($"{path}: {where} {property}: scheme \"{scheme}\" is retired; expected \"SCT\" with the SNOMED CT concept id");
        }

        return new CodedConcept(Text(path, $"{where} {property}", code, "code"), scheme, Text(path, $"{where} {property}", code, "meaning"));
    }

    /// <summary>The non-empty string <paramref name="owner"/>.<paramref name="property"/>.</summary>
    /// <exception cref="FormatException">Missing, not a string, or empty.</exception>
    public static string Text(string path, string where, JsonElement owner, string property) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())
            ? v.GetString()!
            : throw new FormatException($"{path}: {where}: expected \"{property}\", a non-empty string");
}
