using System.Text.Json;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Imaging.Transforms;
using MiM.Bundles.Imaging.Transforms.Configuration;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// Checks configs/inference.json: <c>network_def</c> present, every preprocessing transform known with known
/// parameters (the MONAI-named transforms of docs/transforms.md), the inferer's settings and the post-processing steps.
/// </summary>
public static class InferenceConfigValidator
{
    private const string File = BundleLayout.Inference;

    /// <summary>The post-processing steps a built-in head applies, with the parameters each accepts (MONAI names; a trailing "d" is allowed).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> PostProcessing { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["Activations"] = ["keys", "softmax", "sigmoid"],
        ["AsDiscrete"] = ["keys", "argmax"],
        ["KeepLargestConnectedComponent"] = ["keys", "applied_labels"],
        ["Invert"] = ["keys", "transform"],
    };

    private static readonly string[] InfererKeys = ["name", "roi_size", "overlap", "sw_batch_size", "sigma_scale", "mode"];

    /// <summary>Adds a problem for every fault of the inference config <paramref name="root"/>.</summary>
    public static void Validate(JsonElement root, ICollection<BundleProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (!root.TryGetProperty("network_def", out var network) || network.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(File, "network_def", "missing: an object describing the network"));
        }

        ValidatePreprocessing(root, problems);
        ValidateInferer(root, problems);
        ValidatePostProcessing(root, problems);
    }

    private static void ValidatePreprocessing(JsonElement root, ICollection<BundleProblem> problems)
    {
        if (!root.TryGetProperty("preprocessing", out var preprocessing) || preprocessing.ValueKind != JsonValueKind.Object
            || !preprocessing.TryGetProperty("transforms", out var transforms) || transforms.ValueKind != JsonValueKind.Array)
        {
            problems.Add(new(File, "preprocessing.transforms", "missing: a list of transforms (may be empty)"));
            return;
        }

        var index = 0;
        foreach (var item in transforms.EnumerateArray())
        {
            // Each transform is parsed alone so that every bad one is reported, not only the first.
            var field = $"preprocessing.transforms[{index++}]";
            try
            {
                TransformPipeline.Parse($$"""{"transforms": [{{item.GetRawText()}}]}""");
            }
            catch (TransformConfigException e)
            {
                problems.Add(new(File, field, e.Message.Replace("transforms[0]: ", "", StringComparison.Ordinal)));
            }
        }
    }

    private static void ValidateInferer(JsonElement root, ICollection<BundleProblem> problems)
    {
        if (!root.TryGetProperty("inferer", out var inferer))
        {
            return;
        }

        if (inferer.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(File, "inferer", "must be an object"));
            return;
        }

        foreach (var property in inferer.EnumerateObject().Where(p => !InfererKeys.Contains(p.Name)))
        {
            problems.Add(new(File, $"inferer.{property.Name}", $"unknown parameter; expected {string.Join(", ", InfererKeys)}"));
        }

        if (!inferer.TryGetProperty("name", out var name) || name.GetString() != "SlidingWindowInferer")
        {
            problems.Add(new(File, "inferer.name", "must be \"SlidingWindowInferer\""));
        }

        if (!inferer.TryGetProperty("roi_size", out var roi) || roi.ValueKind != JsonValueKind.Array || roi.GetArrayLength() != 3
            || roi.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n) || n <= 0))
        {
            problems.Add(new(File, "inferer.roi_size", "must be three positive integers"));
        }

        if (inferer.TryGetProperty("overlap", out var overlap) && (overlap.ValueKind != JsonValueKind.Number || overlap.GetDouble() is < 0 or >= 1))
        {
            problems.Add(new(File, "inferer.overlap", "must be a number in [0, 1)"));
        }

        if (inferer.TryGetProperty("sw_batch_size", out var batch) && (batch.ValueKind != JsonValueKind.Number || !batch.TryGetInt32(out var b) || b < 1))
        {
            problems.Add(new(File, "inferer.sw_batch_size", "must be a positive integer"));
        }
    }

    private static void ValidatePostProcessing(JsonElement root, ICollection<BundleProblem> problems)
    {
        if (!root.TryGetProperty("postprocessing", out var post))
        {
            return;
        }

        if (post.ValueKind != JsonValueKind.Array)
        {
            problems.Add(new(File, "postprocessing", "must be a list of steps"));
            return;
        }

        var index = 0;
        foreach (var step in post.EnumerateArray())
        {
            var field = $"postprocessing[{index++}]";
            var name = step.ValueKind == JsonValueKind.Object && step.TryGetProperty("name", out var n) ? n.GetString() : null;
            var canonical = name is null ? null : PostProcessing.ContainsKey(name) ? name : name.EndsWith('d') && PostProcessing.ContainsKey(name[..^1]) ? name[..^1] : null;
            if (canonical is null)
            {
                problems.Add(new(File, $"{field}.name", $"unknown post-processing step \"{name}\"; expected one of {string.Join(", ", PostProcessing.Keys)}"));
                continue;
            }

            foreach (var property in step.EnumerateObject().Where(p => p.Name != "name" && !PostProcessing[canonical].Contains(p.Name)))
            {
                problems.Add(new(File, $"{field}.{property.Name}", $"unknown parameter of {canonical}; expected {string.Join(", ", PostProcessing[canonical])}"));
            }
        }
    }
}
