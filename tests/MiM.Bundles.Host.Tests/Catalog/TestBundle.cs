using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Host.Tests.Catalog;

/// <summary>
/// Writes a servable bundle of the test plugin (tests/plugins/ThresholdBundle, copied into lib/) that a test may spoil
/// before it is marked complete. Edit <see cref="Metadata"/>, <see cref="Inference"/>, <see cref="Selection"/>, then <see cref="Write"/>.
/// </summary>
internal sealed class TestBundle
{
    public static string PluginFolder => Path.Combine(AppContext.BaseDirectory, "plugins", "ThresholdBundle");

    public TestBundle(string kind = "threshold-segmentation", string id = "bright-seg", string version = "1.0.0", string task = "segmentation")
    {
        Metadata = JsonNode.Parse($$"""
        {
          "id": "{{id}}", "version": "{{version}}", "kind": "{{kind}}", "task": "{{task}}", "name": "Bright voxels",
          "changelog": { "{{version}}": "First version." },
          "authors": ["MiM.Bundles tests"], "license": "Apache-2.0", "contracts_version": "1.1.0",
          "intended_use": "Tests of the bundle host only.",
          "network_data_format": {
            "inputs": { "image": { "type": "image", "format": "hounsfield", "modality": "CT", "num_channels": 1, "dtype": "float32" } },
            "outputs": { "pred": { "type": "image", "format": "segmentation", "num_channels": 2, "channel_def": {
              "0": { "name": "background" },
              "1": { "name": "bright", "category": { "code": "123037004", "scheme": "SCT", "meaning": "Anatomical Structure" },
                     "type": { "code": "39607008", "scheme": "SCT", "meaning": "Lung" }, "colour": [255, 0, 0] } } } }
          }
        }
        """)!.AsObject();
        if (task == "classification")
        {
            Metadata["network_data_format"]!["outputs"] = JsonNode.Parse("""
            { "pred": { "type": "probabilities", "format": "classification", "num_channels": 2, "channel_def": {
              "0": { "name": "abnormal", "type": { "code": "263654008", "scheme": "SCT", "meaning": "Abnormal" } },
              "1": { "name": "normal", "type": { "code": "17621005", "scheme": "SCT", "meaning": "Normal" } } } } }
            """);
        }
        else if (task == "encoder")
        {
            Metadata["network_data_format"]!["outputs"] = JsonNode.Parse("""{ "features": { "type": "features", "format": "test-mean/1" } }""");
            Metadata["feature_format"] = "test-mean/1";
        }

        Inference = JsonNode.Parse("""
        {
          "network_def": { "threshold": 100 },
          "preprocessing": { "transforms": [ { "name": "Orientation", "keys": ["image"], "axcodes": "RAS" } ] },
          "postprocessing": [ { "name": "KeepLargestConnectedComponent" } ]
        }
        """)!.AsObject();
        Selection = JsonNode.Parse("""{ "match": "all", "rules": [ { "attribute": "Modality", "equals": "CT" } ] }""")!.AsObject();
    }

    public JsonObject Metadata { get; }

    public JsonObject Inference { get; }

    public JsonObject Selection { get; }

    /// <summary>Tensor name → shape written to models/threshold.safetensors.</summary>
    public Dictionary<string, long[]> Weights { get; } = new() { ["threshold"] = [1] };

    public bool MarkComplete { get; set; } = true;

    public string Write(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "configs"));
        Directory.CreateDirectory(Path.Combine(folder, "models"));
        Directory.CreateDirectory(Path.Combine(folder, "docs"));
        Directory.CreateDirectory(Path.Combine(folder, "lib"));
        var indented = new JsonSerializerOptions { WriteIndented = true };
        File.WriteAllText(Path.Combine(folder, "configs", "metadata.json"), Metadata.ToJsonString(indented));
        File.WriteAllText(Path.Combine(folder, "configs", "inference.json"), Inference.ToJsonString(indented));
        File.WriteAllText(Path.Combine(folder, "configs", "selection.json"), Selection.ToJsonString(indented));
        File.WriteAllText(Path.Combine(folder, "docs", "README.md"), "# Bright voxels\n");
        File.WriteAllText(Path.Combine(folder, "LICENSE"), "Apache-2.0\n");
        WriteSafetensors(Path.Combine(folder, "models", "threshold.safetensors"), Weights);
        foreach (var file in Directory.GetFiles(PluginFolder))
        {
            File.Copy(file, Path.Combine(folder, "lib", Path.GetFileName(file)), overwrite: true);
        }

        if (MarkComplete)
        {
            CompletionMarker.Write(folder);
        }

        return folder;
    }

    /// <summary>A float32 safetensors file of zeros with the given tensors.</summary>
    public static void WriteSafetensors(string path, IReadOnlyDictionary<string, long[]> tensors)
    {
        var header = new JsonObject();
        long offset = 0;
        foreach (var (name, shape) in tensors)
        {
            var bytes = shape.Aggregate(1L, (a, b) => a * b) * 4;
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)d)]),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes((ulong)json.Length));
        stream.Write(json);
        stream.Write(new byte[offset]);
    }
}
