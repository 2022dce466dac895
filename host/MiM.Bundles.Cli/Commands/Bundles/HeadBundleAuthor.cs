using System.Text.Json;
using System.Text.Json.Nodes;
using MiM.Bundles.Contracts;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Model.Weights;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>
/// A segmentation head bundle from a `mim finetune` model folder (RUN/best or RUN/final). The head's own tensors go to
/// models/head.safetensors. Its encoder is split off (the head requires the encoder bundle given with --encoder) only
/// when that is exact: the encoder was frozen during fine-tuning, its weights equal the encoder bundle's tensor for
/// tensor, and the preprocessing is the same. Otherwise the head carries its own encoder (models/encoder.safetensors)
/// and its metadata and README say so and why.
/// </summary>
internal static class HeadBundleAuthor
{
    public sealed record Result(string Folder, bool SharedEncoder, string EncoderReason);

    public static Result Write(string modelFolder, string outFolder, BundleAuthoring authoring, string? encoderBundle, string? segmentsFile)
    {
        var (network, description) = SegmentationModelFolder.Load(modelFolder);
        using (network)
        {
            var recipe = FinetuneRecipe.Read(modelFolder);
            var transforms = Transforms(description, modelFolder);
            var state = network.state_dict();
            var backbone = state.Where(kv => kv.Key.StartsWith(BuiltInKinds.BackbonePrefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[BuiltInKinds.BackbonePrefix.Length..], kv => kv.Value.detach().cpu().contiguous());
            var head = state.Where(kv => !kv.Key.StartsWith(BuiltInKinds.BackbonePrefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous());
            var (encoder, reason) = SharedEncoder(recipe, encoderBundle, backbone, transforms);
            var roi = description.Options.RoiFor(description.Network);
            var writer = new BundleFolderWriter(outFolder);
            try
            {
                Safetensors.SaveStateDict(writer.PathOf(BuiltInKinds.HeadWeights), head);
                if (encoder is null)
                {
                    Safetensors.SaveStateDict(writer.PathOf(BuiltInKinds.EncoderWeights), backbone);
                }

                var overlap = recipe?.Validation.Overlap ?? 0.25;
                var inference = InferenceSettings.Inference(
                    NetworkDefinitionJson.Create(description.Network, description.Options, encoder is null), encoder?.Transforms ?? transforms, roi,
                    encoder?.Overlap ?? overlap, keepLargest: true);
                writer.WriteJson(BundleLayout.Inference, inference);
                writer.WriteJson(BundleLayout.Selection, InferenceSettings.DefaultSelection());
                var channels = SegmentCodes.ChannelDef(description.ClassNames.Count > 0 ? description.ClassNames : [.. Enumerable.Range(0, description.Options.Classes).Select(i => $"class {i}")], segmentsFile);
                writer.WriteJson(BundleLayout.Metadata, Metadata(authoring, roi, channels, encoder, SourceName(modelFolder)));
                writer.WriteText(BundleLayout.Readme, Readme(authoring, channels, encoder, reason));
                writer.WriteLicense(authoring);
                return new Result(writer.Complete(), encoder is not null, reason);
            }
            catch
            {
                writer.Abandon();
                throw;
            }
        }
    }

    private sealed record EncoderLink(string Id, string Version, JsonArray Transforms, double Overlap);

    private static (EncoderLink? Encoder, string Reason) SharedEncoder(
        Model.Training.Finetuning.FinetuneConfig? recipe, string? encoderBundle, Dictionary<string, Tensor> backbone, JsonArray transforms)
    {
        if (encoderBundle is null)
        {
            return (null, "no encoder bundle was given (--encoder)");
        }

        if (recipe is null)
        {
            return (null, "the run's recipe could not be read (RUN/checkpoints/latest), so it is unknown whether the encoder was frozen");
        }

        if (!recipe.FreezeEncoder)
        {
            return (null, "the encoder was fine-tuned together with the head (not frozen)");
        }

        var metadata = MetadataReader.Read(encoderBundle);
        var encoderWeights = MimWeights.ReadStateDict(BundleLayout.PathIn(encoderBundle, BuiltInKinds.EncoderWeights));
        try
        {
            var differing = backbone.Keys.Where(k => !encoderWeights.TryGetValue(k, out var e) || !e.shape.SequenceEqual(backbone[k].shape) || !e.allclose(backbone[k], rtol: 0, atol: 0))
                .Concat(encoderWeights.Keys.Where(k => !backbone.ContainsKey(k))).ToList();
            if (differing.Count > 0)
            {
                return (null, $"the frozen encoder differs from {metadata.Id} {metadata.Version} in {differing.Count} tensor(s), e.g. {differing[0]}");
            }
        }
        finally
        {
            foreach (var tensor in encoderWeights.Values)
            {
                tensor.Dispose();
            }
        }

        using var inference = JsonDocument.Parse(File.ReadAllText(BundleLayout.PathIn(encoderBundle, BundleLayout.Inference)));
        var encoderTransforms = (JsonArray)JsonNode.Parse(inference.RootElement.GetProperty("preprocessing").GetProperty("transforms").GetRawText())!;
        if (CanonicalJson.Of(encoderTransforms) != CanonicalJson.Of(transforms))
        {
            return (null, $"its preprocessing differs from {metadata.Id} {metadata.Version}'s");
        }

        var version = Semver.SemVersion.Parse(metadata.Version!, Semver.SemVersionStyles.Strict);
        var overlap = inference.RootElement.GetProperty("inferer").TryGetProperty("overlap", out var o) ? o.GetDouble() : 0.25;
        return (new EncoderLink(metadata.Id!, $"^{version.Major}.{version.Minor}", encoderTransforms, overlap),
            $"the encoder was frozen during fine-tuning and equals {metadata.Id} {metadata.Version} tensor for tensor");
    }

    /// <summary>"RUN/best" for a model folder inside a run, else the folder's name.</summary>
    private static string SourceName(string modelFolder)
    {
        var full = Path.GetFullPath(modelFolder).TrimEnd(Path.DirectorySeparatorChar);
        return $"{Path.GetFileName(Path.GetDirectoryName(full))}/{Path.GetFileName(full)}";
    }

    private static JsonArray Transforms(SegmentationModelDescription description, string modelFolder)
    {
        if (description.Preprocessing is { } inline)
        {
            return InferenceSettings.TransformsOf(inline);
        }

        if (description.PreprocessingPath is { } relative)
        {
            using var document = JsonDocument.Parse(
                File.ReadAllText(Path.Combine(modelFolder, relative)), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return InferenceSettings.TransformsOf(document.RootElement);
        }

        return InferenceSettings.DefaultTransforms(description.HuMin, description.HuMax);
    }

    private static BundleMetadata Metadata(BundleAuthoring a, int roi, Dictionary<string, ChannelDefinition> channels, EncoderLink? encoder, string source) => new()
    {
        Id = a.Id,
        Version = a.Version,
        Kind = BuiltInKinds.SegmentationHead,
        Task = BundleTasks.Segmentation,
        Name = $"MiM segmentation head fine-tuned in {source}",
        Changelog = new Dictionary<string, string> { [a.Version] = a.Changelog },
        Authors = a.Authors,
        License = a.License,
        ContractsVersion = ContractsVersion.Current,
        Requires = encoder is null ? null : new Dictionary<string, string> { [encoder.Id] = encoder.Version },
        Encoder = encoder is null ? BundleTasks.EmbeddedEncoder : BundleTasks.SharedEncoder,
        FeatureFormat = encoder is null ? null : BuiltInKinds.FeatureFormat,
        IntendedUse = a.IntendedUse,
        NetworkDataFormat = new NetworkDataFormat
        {
            Inputs = new Dictionary<string, TensorFormat> { ["image"] = EncoderBundleAuthor.CtInput(roi) },
            Outputs = new Dictionary<string, TensorFormat>
            {
                ["pred"] = new()
                {
                    Type = "image", Format = "segmentation", NumChannels = channels.Count, SpatialShape = [roi, roi, roi], Dtype = "float32",
                    ValueRange = [0, 1], IsPatchData = true, ChannelDef = channels,
                },
            },
        },
    };

    private static string Readme(BundleAuthoring a, Dictionary<string, ChannelDefinition> channels, EncoderLink? encoder, string reason) =>
        $"""
        # {a.Id} {a.Version}

        A MiM segmentation head (UNETR-style decoder on the MiM encoder).

        Encoder: {(encoder is null ? $"carried in this bundle (`{BuiltInKinds.EncoderWeights}`), because {reason}" : $"shared: requires {encoder.Id} {encoder.Version}, because {reason}")}.

        | label | name | code |
        |---|---|---|
        {string.Join("\n", channels.Select(c => $"| {c.Key} | {c.Value.Name} | {SegmentCodes.Describe(c.Value)} |"))}

        Intended use: {a.IntendedUse}
        """ + "\n";
}
