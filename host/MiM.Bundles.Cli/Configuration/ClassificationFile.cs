using System.Text.Json;
using MiM.Bundles.Contracts.Results;

namespace MiM.Bundles.Cli.Configuration;

/// <summary>
/// The result file of `mim dicom sr` (JSON, comments allowed): a classification head's output. Example:
/// configs/results/phantom-classification.json.
/// <code>
/// {
///   "model": { "name": "liver-lesion-cls", "version": "0.4.1" },
///   "classes": [
///     { "class": { "scheme": "SCT", "code": "52988006", "meaning": "Lesion" }, "probability": 0.875 },
///     { "class": { "scheme": "SCT", "code": "17621005", "meaning": "Normal" }, "probability": 0.125 }
///   ]
/// }
/// </code>
/// </summary>
internal static class ClassificationFile
{
    /// <summary>Reads and checks a result file.</summary>
    /// <exception cref="FormatException">Not valid JSON, or a part missing or out of range; the message names the file and the part.</exception>
    public static ClassificationResult Read(string path)
    {
        using var document = JsonInputFile.Parse(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var model))
        {
            throw new FormatException($"{path}: expected an object with \"model\": {{\"name\", \"version\"}} and \"classes\"");
        }

        var name = CodedConceptJson.Text(path, "model", model, "name");
        var version = CodedConceptJson.Text(path, "model", model, "version");
        if (!root.TryGetProperty("classes", out var classes) || classes.ValueKind != JsonValueKind.Array || classes.GetArrayLength() == 0)
        {
            throw new FormatException($"{path}: expected a non-empty \"classes\" array");
        }

        var probabilities = classes.EnumerateArray().Select((c, n) =>
        {
            var where = $"class {n + 1}";
            var concept = CodedConceptJson.Code(path, where, c, "class");
            if (!c.TryGetProperty("probability", out var p) || !p.TryGetDouble(out var probability) || probability is < 0 or > 1 || double.IsNaN(probability))
            {
                throw new FormatException($"{path}: {where}: expected \"probability\", a number from 0 to 1");
            }

            return new ClassProbability(concept, probability);
        }).ToList();
        return new ClassificationResult(name, version, probabilities);
    }

    /// <summary>Writes <paramref name="result"/> in the form <see cref="Read"/> reads (what `mim infer` gives `mim dicom sr`).</summary>
    public static void Write(string path, ClassificationResult result)
    {
        using (var stream = File.Create(path + ".tmp"))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("model");
            json.WriteString("name", result.ModelName);
            json.WriteString("version", result.ModelVersion);
            json.WriteEndObject();
            json.WriteStartArray("classes");
            foreach (var probability in result.Probabilities)
            {
                json.WriteStartObject();
                json.WriteStartObject("class");
                json.WriteString("scheme", probability.Class.CodingSchemeDesignator);
                json.WriteString("code", probability.Class.CodeValue);
                json.WriteString("meaning", probability.Class.CodeMeaning);
                json.WriteEndObject();
                json.WriteNumber("probability", probability.Probability);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        File.Move(path + ".tmp", path, overwrite: true);
    }
}
