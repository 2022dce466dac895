using System.Globalization;
using System.Text.Json;

namespace MiM.Bundles.Imaging.Datasets;

/// <summary>Writes <c>dataset.json</c> in the Medical Segmentation Decathlon layout.</summary>
public static class MsdDatasetJsonWriter
{
    /// <summary>The file name MONAI and nnU-Net look for.</summary>
    public const string FileName = "dataset.json";

    /// <summary>Writes <paramref name="dataset"/> to <c>folder/dataset.json</c>, replacing it atomically.</summary>
    public static string Write(string folder, MsdDatasetDescription dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var path = Path.Combine(folder, FileName);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("name", dataset.Name);
            json.WriteString("description", dataset.Description);
            json.WriteString("tensorImageSize", "3D");
            json.WriteStartObject("modality");
            json.WriteString("0", dataset.Modality);
            json.WriteEndObject();
            json.WriteStartObject("labels");
            json.WriteString("0", "background");
            foreach (var segment in dataset.Segments)
            {
                json.WriteString(segment.Value.ToString(CultureInfo.InvariantCulture), segment.Name);
            }

            json.WriteEndObject();
            json.WriteStartArray("segments");
            foreach (var segment in dataset.Segments)
            {
                json.WriteStartObject();
                json.WriteNumber("value", segment.Value);
                json.WriteString("name", segment.Name);
                WriteCode(json, "category", segment.Category);
                WriteCode(json, "type", segment.Type);
                json.WriteString("colour", segment.Colour.ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (dataset.CaseLabels.Count > 0)
            {
                json.WriteStartObject("caseLabels");
                foreach (var (key, meaning) in dataset.CaseLabels)
                {
                    json.WriteString(key, meaning);
                }

                json.WriteEndObject();
            }

            json.WriteNumber("numTraining", dataset.Training.Count);
            json.WriteNumber("numTest", 0);
            json.WriteStartArray("training");
            foreach (var item in dataset.Training)
            {
                json.WriteStartObject();
                json.WriteString("image", item.Image);
                json.WriteString("label", item.Label);
                foreach (var (key, value) in item.CaseLabels)
                {
                    json.WriteNumber(key, value);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("test");
            json.WriteEndArray();
            json.WriteEndObject();
        }

        File.Move(temp, path, overwrite: true);
        return path;
    }

    private static void WriteCode(Utf8JsonWriter json, string name, Contracts.Results.CodedConcept code)
    {
        json.WriteStartObject(name);
        json.WriteString("code", code.CodeValue);
        json.WriteString("scheme", code.CodingSchemeDesignator);
        json.WriteString("meaning", code.CodeMeaning);
        json.WriteEndObject();
    }
}
