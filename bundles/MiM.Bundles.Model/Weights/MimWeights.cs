using System.Globalization;
using System.Text;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Weights;

/// <summary>
/// Saves and strictly loads a module's state dict as safetensors under its registered (official) names, the format
/// the authors' PyTorch code reads with <c>safetensors.torch.load_file</c>.
/// </summary>
public static class MimWeights
{
    /// <summary>Listed entries per category in a mismatch message before the rest are only counted.</summary>
    private const int ListedPerCategory = 10;

    /// <summary>Writes the state dict to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    /// <param name="module">The module to save.</param>
    /// <param name="path">Target .safetensors file; replaced if present.</param>
    public static void Save(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using var scope = NewDisposeScope();
            var state = module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous());
            Safetensors.SaveStateDict(temporary, state);
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>The tensors of a safetensors file by name (CPU). The caller owns (disposes) them.</summary>
    /// <param name="path">A .safetensors file.</param>
    public static IReadOnlyDictionary<string, Tensor> ReadStateDict(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Safetensors.LoadStateDict(path);
    }

    /// <summary>
    /// Copies every tensor of the file into <paramref name="module"/>'s parameters and buffers (converting dtype and
    /// device). Strict: nothing is copied unless the names and shapes match exactly.
    /// </summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="path">A .safetensors file.</param>
    /// <exception cref="WeightMismatchException">Names or shapes differ; the message lists them.</exception>
    public static void Load(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        var loaded = ReadStateDict(path);
        try
        {
            Load(module, loaded, path);
        }
        finally
        {
            foreach (var tensor in loaded.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>As <see cref="Load(nn.Module, string)"/>, from tensors already in memory.</summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="stateDict">Tensors by name.</param>
    /// <param name="source">Where they came from, for the error message.</param>
    /// <exception cref="WeightMismatchException">Names or shapes differ; the message lists them.</exception>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, string source = "state dict")
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(stateDict);
        var expected = module.state_dict();
        var missing = expected.Keys.Where(k => !stateDict.ContainsKey(k)).ToList();
        var unexpected = stateDict.Keys.Where(k => !expected.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var shapes = expected
            .Where(kv => stateDict.TryGetValue(kv.Key, out var found) && !found.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key}: expected {Describe(kv.Value.shape)}, found {Describe(stateDict[kv.Key].shape)}")
            .ToList();
        if (missing.Count + unexpected.Count + shapes.Count > 0)
        {
            throw new WeightMismatchException(Explain(source, missing, unexpected, shapes))
            {
                MissingKeys = missing,
                UnexpectedKeys = unexpected,
                ShapeMismatches = shapes,
            };
        }

        using var noGrad = no_grad();
        foreach (var (name, target) in expected)
        {
            target.copy_(stateDict[name]);
        }
    }

    private static string Describe(long[] shape) => "[" + string.Join(", ", shape) + "]";

    private static string Explain(string source, List<string> missing, List<string> unexpected, List<string> shapes)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{source} does not match the network: {missing.Count} missing, {unexpected.Count} unexpected, {shapes.Count} with a different shape.");
        AppendList(text, "Missing keys", missing);
        AppendList(text, "Unexpected keys", unexpected);
        AppendList(text, "Shape differences", shapes);
        return text.ToString();
    }

    private static void AppendList(StringBuilder text, string title, List<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}{title} ({items.Count}):");
        foreach (var item in items.Take(ListedPerCategory))
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  {item}");
        }

        if (items.Count > ListedPerCategory)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  … and {items.Count - ListedPerCategory} more");
        }
    }
}
