using System.Text.Json;

namespace MiM.Bundles.Standard;

/// <summary>Reads configs/inference.json's <c>postprocessing</c> list (MONAI names; a trailing "d" is allowed).</summary>
internal static class PostProcessingSteps
{
    public static bool Has(JsonElement inference, string name) =>
        inference.TryGetProperty("postprocessing", out var steps) && steps.ValueKind == JsonValueKind.Array
        && steps.EnumerateArray().Any(s => s.TryGetProperty("name", out var n) && (n.GetString() == name || n.GetString() == name + "d"));
}
