using System.Security.Cryptography;
using System.Text;

namespace MiM.Bundles.Cli.Commands.Demo;

/// <summary>
/// How the demo's three bundles are made, as the `mim` verbs a model team would run: phantoms, smoke pre-training (the
/// encoder), an organ segmentation fine-tune and a lesion classification fine-tune (each from that encoder), then
/// `mim bundle new` for each. <see cref="Hash"/> covers the steps and every recipe file they read, so a changed recipe
/// builds new bundles and an unchanged one reuses the cache.
/// </summary>
internal sealed class DemoRecipe
{
    /// <summary>Bundle id of the encoder.</summary>
    public const string EncoderId = "demo-encoder";

    /// <summary>Bundle id of the organ segmentation head.</summary>
    public const string OrgansId = "demo-organs";

    /// <summary>Bundle id of the lesion classification head.</summary>
    public const string LesionId = "demo-lesion";

    /// <summary>The version every demo bundle gets.</summary>
    public const string Version = "1.0.0";

    /// <summary>The token in step arguments that stands for the cache folder.</summary>
    private const string Cache = "{cache}";

    /// <summary>The token in step arguments that stands for the config folder.</summary>
    private const string Configs = "{configs}";

    // Recipe files whose content decides the bundles (the finetune recipes name the transform files).
    private static readonly string[] RecipeFiles =
    [
        "pretrain/smoke.json",
        "finetune/demo-organs.json",
        "finetune/demo-lesion.json",
        "transforms/phantom-train.json",
        "transforms/phantom-infer.json",
        "transforms/phantom-classify-train.json",
        "transforms/phantom-classify-infer.json",
        "segments/phantom-abdomen.json",
    ];

    private readonly string _configs;

    public DemoRecipe(string configDirectory)
    {
        _configs = Path.GetFullPath(configDirectory);
    }

    /// <summary>One step: what it is called, the `mim` arguments, and a file whose presence means it is done.</summary>
    public sealed record Step(string Name, IReadOnlyList<string> Arguments, string DoneWhen);

    /// <summary>The steps, with {cache} and {configs} still as tokens (what the hash covers).</summary>
    public static IReadOnlyList<Step> Steps { get; } =
    [
        new("phantoms for pre-training (10 of 128³)", ["phantom", "--out", $"{Cache}/data/pretrain", "--count", "10", "--size", "128", "--seed", "0"], $"{Cache}/data/pretrain/dataset.json"),
        new("encoder: smoke pre-training (50 steps)", ["pretrain", "--config", $"{Configs}/pretrain/smoke.json", "--data", $"{Cache}/data/pretrain", "--out", $"{Cache}/runs/encoder", "--resume"], $"{Cache}/runs/encoder/model.safetensors"),
        new("phantoms for organ segmentation (10 of 48³)", ["phantom", "--out", $"{Cache}/data/organs", "--count", "10", "--size", "48", "--seed", "300"], $"{Cache}/data/organs/dataset.json"),
        new("organ segmentation fine-tune", ["finetune", "--config", $"{Configs}/finetune/demo-organs.json", "--data", $"{Cache}/data/organs/dataset.json", "--out", $"{Cache}/runs/organs", "--pretrained", $"{Cache}/runs/encoder", "--resume"], $"{Cache}/runs/organs/final/segmentation.json"),
        new("phantoms for lesion classification (2000 of 32³, half with lesions)", ["phantom", "--out", $"{Cache}/data/lesions", "--count", "2000", "--size", "32", "--seed", "3000", "--lesion-fraction", "0.5", "--lesion-style", "conspicuous"], $"{Cache}/data/lesions/dataset.json"),
        new("lesion classification fine-tune", ["finetune", "--config", $"{Configs}/finetune/demo-lesion.json", "--data", $"{Cache}/data/lesions/dataset.json", "--out", $"{Cache}/runs/lesion", "--pretrained", $"{Cache}/runs/encoder", "--resume"], $"{Cache}/runs/lesion/final/classification.json"),
        new("encoder bundle", ["bundle", "new", "--from", $"{Cache}/runs/encoder", "--out", $"{Cache}/bundles/{EncoderId}", "--id", EncoderId, "--version", Version], $"{Cache}/bundles/{EncoderId}/configs/metadata.json"),
        new("organ segmentation bundle", ["bundle", "new", "--from", $"{Cache}/runs/organs/best", "--out", $"{Cache}/bundles/{OrgansId}", "--id", OrgansId, "--version", Version], $"{Cache}/bundles/{OrgansId}/configs/metadata.json"),
        new("lesion classification bundle", ["bundle", "new", "--from", $"{Cache}/runs/lesion/best", "--out", $"{Cache}/bundles/{LesionId}", "--id", LesionId, "--version", Version], $"{Cache}/bundles/{LesionId}/configs/metadata.json"),
    ];

    /// <summary>A short hex digest of the steps and the content of every recipe file they read.</summary>
    public string Hash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var step in Steps)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(string.Join('\u001f', step.Arguments) + "\u001e"));
        }

        foreach (var file in RecipeFiles)
        {
            var path = Path.Combine(_configs, file);
            sha.AppendData(Encoding.UTF8.GetBytes(file + "\u001f"));
            sha.AppendData(File.Exists(path) ? File.ReadAllBytes(path) : Encoding.UTF8.GetBytes("(missing)"));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    /// <summary>A step's argument or path with its tokens replaced.</summary>
    public string Resolve(string text, string cacheFolder) =>
        text.Replace(Cache, cacheFolder, StringComparison.Ordinal).Replace(Configs, _configs, StringComparison.Ordinal);
}
