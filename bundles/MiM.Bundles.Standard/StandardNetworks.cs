using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Weights;
using static TorchSharp.torch;

namespace MiM.Bundles.Standard;

/// <summary>Builds the network of a built-in kind and fills it from a bundle's weights files.</summary>
internal static class StandardNetworks
{
    public static nn.Module Create(string kind, NetworkDefinition definition) => kind switch
    {
        StandardKinds.Encoder => new MimDownstreamEncoder(definition.Network, definition.Options),
        StandardKinds.SegmentationHead => new MimSegmentationNetwork(definition.Network, definition.Options),
        StandardKinds.ClassificationHead => new MimClassificationNetwork(definition.Network, definition.Options),
        _ => throw new BundleLoadException($"\"{kind}\" is not a built-in kind"),
    };

    /// <summary>
    /// Copies the tensors of <paramref name="file"/> into <paramref name="module"/>'s entries that start with <paramref name="prefix"/>;
    /// every such entry must be in the file with its shape, and the file must hold nothing else.
    /// </summary>
    public static void Fill(nn.Module module, string file, string prefix, Func<string, bool> belongs)
    {
        var state = module.state_dict().Where(kv => belongs(kv.Key)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
        var loaded = MimWeights.ReadStateDict(file);
        try
        {
            var missing = state.Keys.Where(k => !loaded.ContainsKey(k)).ToList();
            var unexpected = loaded.Keys.Where(k => !state.ContainsKey(k)).ToList();
            var shapes = state.Where(kv => loaded.TryGetValue(kv.Key, out var t) && !t.shape.SequenceEqual(kv.Value.shape)).Select(kv => kv.Key).ToList();
            if (missing.Count + unexpected.Count + shapes.Count > 0)
            {
                throw new BundleLoadException(
                    $"{Path.GetFileName(file)} does not match the network: {missing.Count} missing, {unexpected.Count} unexpected, {shapes.Count} of another shape "
                    + $"(first: {string.Join(", ", missing.Concat(unexpected).Concat(shapes).Take(3))})");
            }

            using var noGrad = no_grad();
            foreach (var (key, target) in state)
            {
                target.copy_(loaded[key]);
            }
        }
        finally
        {
            foreach (var tensor in loaded.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Fills a head network: its own entries from head.safetensors, the backbone from encoder.safetensors when embedded.</summary>
    public static void FillHead(nn.Module network, string folder, bool embedded)
    {
        Fill(network, Path.Combine(folder, StandardKinds.HeadWeights), "", k => !k.StartsWith(StandardKinds.BackbonePrefix, StringComparison.Ordinal));
        if (embedded)
        {
            Fill(network, Path.Combine(folder, StandardKinds.EncoderWeights), StandardKinds.BackbonePrefix, k => k.StartsWith(StandardKinds.BackbonePrefix, StringComparison.Ordinal));
        }
    }
}
