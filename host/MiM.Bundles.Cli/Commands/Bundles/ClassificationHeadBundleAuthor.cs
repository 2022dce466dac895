using MiM.Bundles.Contracts;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Model.Weights;
using TorchSharp.PyBridge;

namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>
/// A classification head bundle from a `mim finetune` classification model folder (RUN/best or RUN/final): the pooled
/// linear head in models/head.safetensors and, because classification fine-tuning trains the encoder with the head, the
/// encoder it was fine-tuned with in models/encoder.safetensors. Preprocessing is the recipe's validation pipeline (the one
/// `mim infer` classifies with); one sliding window of the network's ROI covers the preprocessed volume, as in training.
/// Class codes come from the recipe's classCodes.
/// </summary>
internal static class ClassificationHeadBundleAuthor
{
    /// <summary>Writes the bundle and returns its folder.</summary>
    public static string Write(string modelFolder, string outFolder, BundleAuthoring authoring)
    {
        var (network, description) = ClassificationModelFolder.Load(modelFolder);
        using (network)
        {
            var missing = Enumerable.Range(0, description.Options.Classes).Where(i => i >= description.ClassCodes.Count).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidDataException(
                    $"{Path.Combine(modelFolder, ClassificationModelFolder.DescriptionFile)}: classCodes: class {missing[0]} has no code; a classification bundle needs one per class");
            }

            var state = network.state_dict();
            var backbone = state.Where(kv => kv.Key.StartsWith(BuiltInKinds.BackbonePrefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[BuiltInKinds.BackbonePrefix.Length..], kv => kv.Value.detach().cpu().contiguous());
            var head = state.Where(kv => !kv.Key.StartsWith(BuiltInKinds.BackbonePrefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous());
            var roi = description.Options.RoiFor(description.Network);
            var writer = new BundleFolderWriter(outFolder);
            try
            {
                Safetensors.SaveStateDict(writer.PathOf(BuiltInKinds.HeadWeights), head);
                Safetensors.SaveStateDict(writer.PathOf(BuiltInKinds.EncoderWeights), backbone);
                var inference = InferenceSettings.Inference(
                    NetworkDefinitionJson.Create(description.Network, description.Options, embeddedEncoder: true),
                    InferenceSettings.TransformsOf(description.Preprocessing), roi, overlap: 0.25, keepLargest: false);
                inference.Remove("postprocessing");
                writer.WriteJson(BundleLayout.Inference, inference);
                writer.WriteJson(BundleLayout.Selection, InferenceSettings.DefaultSelection());
                var channels = Enumerable.Range(0, description.Options.Classes).ToDictionary(
                    i => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    i => new ChannelDefinition { Name = description.ClassName(i), Type = CodeJson.From(description.ClassCodes[i]) });
                writer.WriteJson(BundleLayout.Metadata, Metadata(authoring, roi, channels, modelFolder));
                writer.WriteText(BundleLayout.Readme, Readme(authoring, channels));
                writer.WriteLicense(authoring);
                return writer.Complete();
            }
            catch
            {
                writer.Abandon();
                throw;
            }
        }
    }

    private static BundleMetadata Metadata(BundleAuthoring a, int roi, Dictionary<string, ChannelDefinition> channels, string modelFolder) => new()
    {
        Id = a.Id,
        Version = a.Version,
        Kind = BuiltInKinds.ClassificationHead,
        Task = BundleTasks.Classification,
        Name = $"MiM classification head fine-tuned in {Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(modelFolder).TrimEnd('/')))}/{Path.GetFileName(Path.GetFullPath(modelFolder).TrimEnd('/'))}",
        Changelog = new Dictionary<string, string> { [a.Version] = a.Changelog },
        Authors = a.Authors,
        License = a.License,
        ContractsVersion = ContractsVersion.Current,
        Encoder = BundleTasks.EmbeddedEncoder,
        IntendedUse = a.IntendedUse,
        NetworkDataFormat = new NetworkDataFormat
        {
            Inputs = new Dictionary<string, TensorFormat> { ["image"] = EncoderBundleAuthor.CtInput(roi) },
            Outputs = new Dictionary<string, TensorFormat>
            {
                ["pred"] = new()
                {
                    Type = "probabilities", Format = "classification", NumChannels = channels.Count, SpatialShape = [], Dtype = "float32",
                    ValueRange = [0, 1], IsPatchData = false, ChannelDef = channels,
                },
            },
        },
    };

    private static string Readme(BundleAuthoring a, Dictionary<string, ChannelDefinition> channels) =>
        $"""
        # {a.Id} {a.Version}

        A MiM classification head (mean-pooled encoder tokens, LayerNorm, Linear) with the encoder it was fine-tuned with
        (`{BuiltInKinds.EncoderWeights}`): classification fine-tuning trains both.

        | class | name | code |
        |---|---|---|
        {string.Join("\n", channels.Select(c => $"| {c.Key} | {c.Value.Name} | {SegmentCodes.Describe(c.Value)} |"))}

        Intended use: {a.IntendedUse}
        """ + "\n";
}
