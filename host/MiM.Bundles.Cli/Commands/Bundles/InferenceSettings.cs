using System.Text.Json;
using System.Text.Json.Nodes;

namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>Builds configs/inference.json and the default configs/selection.json of a built-in bundle.</summary>
internal static class InferenceSettings
{
    /// <summary>The phantom/abdomen CT preprocessing that `mim finetune` validates with: RAS, HU [-175, 250] to [0, 1].</summary>
    public static JsonArray DefaultTransforms(double huMin = -175, double huMax = 250) =>
    [
        new JsonObject { ["name"] = "Orientation", ["keys"] = new JsonArray("image"), ["axcodes"] = "RAS" },
        new JsonObject
        {
            ["name"] = "ScaleIntensityRange", ["keys"] = new JsonArray("image"), ["a_min"] = huMin, ["a_max"] = huMax,
            ["b_min"] = 0.0, ["b_max"] = 1.0, ["clip"] = true,
        },
    ];

    /// <summary>The transforms of a pipeline JSON without LoadImage (the host hands bundles volumes, not files).</summary>
    public static JsonArray TransformsOf(JsonElement pipeline)
    {
        var list = new JsonArray();
        foreach (var item in pipeline.GetProperty("transforms").EnumerateArray())
        {
            var name = item.TryGetProperty("name", out var n) ? n.GetString() : null;
            if (name is not ("LoadImage" or "LoadImaged"))
            {
                list.Add(JsonNode.Parse(item.GetRawText()));
            }
        }

        return list;
    }

    public static JsonObject Inference(JsonElement networkDefinition, JsonArray transforms, int roi, double overlap, bool keepLargest) => new()
    {
        ["network_def"] = JsonNode.Parse(networkDefinition.GetRawText()),
        ["preprocessing"] = new JsonObject { ["transforms"] = transforms },
        // Window batch 1: libtorch's CPU Conv3d is wrong for batch >= 2 in some shapes on AVX-512 AMD CPUs (issue 11).
        ["inferer"] = new JsonObject
        {
            ["name"] = "SlidingWindowInferer", ["roi_size"] = new JsonArray(roi, roi, roi), ["overlap"] = overlap, ["sw_batch_size"] = 1,
        },
        ["postprocessing"] = keepLargest
            ? new JsonArray(new JsonObject { ["name"] = "AsDiscrete", ["argmax"] = true }, new JsonObject { ["name"] = "KeepLargestConnectedComponent" }, new JsonObject { ["name"] = "Invert" })
            : new JsonArray(new JsonObject { ["name"] = "AsDiscrete", ["argmax"] = true }, new JsonObject { ["name"] = "Invert" }),
    };

    public static JsonObject DefaultSelection() => new()
    {
        ["match"] = "all",
        ["rules"] = new JsonArray(
            new JsonObject { ["attribute"] = "Modality", ["equals"] = "CT" },
            new JsonObject { ["attribute"] = "NumberOfSlices", ["min"] = 16 }),
    };
}
