using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>A JSON text in which equal values are equal strings: numbers as doubles, object keys sorted, "keys" lists dropped.</summary>
internal static class CanonicalJson
{
    public static string Of(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{" + string.Join(",", o.Where(p => p.Key != "keys").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Of(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Of)) + "]",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>().ToString("R", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
