using MiM.Bundles.Contracts;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Model.Inference;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Weights;
using TorchSharp;

namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>
/// An encoder bundle from a `mim pretrain` run: the downstream encoder built with the given seed (as
/// `mim finetune` builds it, so a head fine-tuned from the same run with a frozen encoder and the same seed has exactly
/// these weights), the pre-trained tensors transferred in, saved as models/encoder.safetensors.
/// </summary>
internal static class EncoderBundleAuthor
{
    public static (string Folder, WeightTransferReport Report) Write(string runFolder, string outFolder, BundleAuthoring authoring, ulong seed)
    {
        var weights = EncoderWeightTransfer.ResolveWeightsFile(runFolder);
        var network = NetworkConfigResolver.Resolve(weights, null);
        var options = new DownstreamOptions();
        torch.manual_seed(unchecked((long)seed));
        using var encoder = new MimDownstreamEncoder(network, options);
        var report = EncoderWeightTransfer.Load(encoder, weights);
        var roi = options.RoiFor(network);
        var writer = new BundleFolderWriter(outFolder);
        try
        {
            MimWeights.Save(encoder, writer.PathOf(BuiltInKinds.EncoderWeights));
            writer.WriteJson(BundleLayout.Inference, InferenceSettings.Inference(
                NetworkDefinitionJson.Create(network, options, null), InferenceSettings.DefaultTransforms(), roi, 0.25, keepLargest: false));
            writer.WriteJson(BundleLayout.Selection, InferenceSettings.DefaultSelection());
            writer.WriteJson(BundleLayout.Metadata, Metadata(authoring, roi, Path.GetFileName(Path.GetFullPath(runFolder).TrimEnd('/'))));
            writer.WriteText(BundleLayout.Readme, Readme(authoring, report, seed));
            writer.WriteLicense(authoring);
            return (writer.Complete(), report);
        }
        catch
        {
            writer.Abandon();
            throw;
        }
    }

    private static BundleMetadata Metadata(BundleAuthoring a, int roi, string source) => new()
    {
        Id = a.Id,
        Version = a.Version,
        Kind = BuiltInKinds.Encoder,
        Task = BundleTasks.Encoder,
        Name = $"MiM encoder pre-trained in {source}",
        Changelog = new Dictionary<string, string> { [a.Version] = a.Changelog },
        Authors = a.Authors,
        License = a.License,
        ContractsVersion = ContractsVersion.Current,
        FeatureFormat = BuiltInKinds.FeatureFormat,
        IntendedUse = a.IntendedUse,
        NetworkDataFormat = new NetworkDataFormat
        {
            Inputs = new Dictionary<string, TensorFormat> { ["image"] = CtInput(roi) },
            Outputs = new Dictionary<string, TensorFormat> { ["features"] = new() { Type = "features", Format = BuiltInKinds.FeatureFormat, IsPatchData = true } },
        },
    };

    public static TensorFormat CtInput(int roi) => new()
    {
        Type = "image", Format = "hounsfield", Modality = "CT", NumChannels = 1, SpatialShape = [roi, roi, roi], Dtype = "float32",
        ValueRange = [0, 1], IsPatchData = true,
        ChannelDef = new Dictionary<string, ChannelDefinition> { ["0"] = new() { Name = "image" } },
    };

    private static string Readme(BundleAuthoring a, WeightTransferReport report, ulong seed) => $"""
        # {a.Id} {a.Version}

        A MiM encoder (hybrid conv+ViT, pre-trained with Mask in Mask) served as a shared encoder: the host encodes each
        series once and hands the features (`{BuiltInKinds.FeatureFormat}`) to every head that requires this encoder.

        - weights: `{BuiltInKinds.EncoderWeights}` ({report.Loaded.Count} tensors pre-trained, {report.Interpolated.Count} interpolated,
          {report.New.Count} initialised with seed {seed}: {string.Join(", ", report.New.Take(6))}{(report.New.Count > 6 ? ", …" : "")})
        - intended use: {a.IntendedUse}

        A head fine-tuned with this encoder frozen (same run, same seed) can share it. Any change of the weights is a new
        MAJOR version: heads require `^MAJOR.MINOR` and would compute wrong results on other weights.
        """ + "\n";
}
