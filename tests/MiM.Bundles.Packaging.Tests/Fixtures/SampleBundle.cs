using System.Security.Cryptography;

namespace MiM.Bundles.Packaging.Tests.Fixtures;

/// <summary>Writes a small bundle folder in the documented layout.</summary>
public static class SampleBundle
{
    public static string Write(string directory, string id = "abdomen-ct-seg", string version = "1.0.0", int weightBytes = 4096)
    {
        Directory.CreateDirectory(Path.Combine(directory, "configs"));
        Directory.CreateDirectory(Path.Combine(directory, "models"));
        Directory.CreateDirectory(Path.Combine(directory, "docs"));
        File.WriteAllText(
            Path.Combine(directory, "configs", "metadata.json"),
            $$"""{"id": "{{id}}", "version": "{{version}}", "changelog": {"{{version}}": "first"}, "requires": {"mim-encoder": "^1.0"}, "contracts_version": "1.0"}""");
        File.WriteAllText(Path.Combine(directory, "configs", "inference.json"), """{"inferer": {"roi": [96, 96, 96]}}""");
        File.WriteAllText(Path.Combine(directory, "configs", "selection.json"), """{"modality": "CT"}""");
        File.WriteAllBytes(Path.Combine(directory, "models", "head.safetensors"), RandomNumberGenerator.GetBytes(weightBytes));
        File.WriteAllText(Path.Combine(directory, "docs", "README.md"), "# sample\n");
        File.WriteAllText(Path.Combine(directory, "LICENSE"), "MIT\n");
        return directory;
    }
}
