using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Loading;
using MiM.Bundles.Host.Tests.Cli.Bundles;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Training;
using TorchSharp;
using TorchSharp.PyBridge;

namespace MiM.Bundles.Host.Tests.Loading;

/// <summary>
/// The built-in classification head (no classification fine-tuning exists yet, so its head is freshly initialised):
/// a bundle written by hand validates, and on the shared encoder's features it gives what it gives with the encoder embedded.
/// </summary>
[Collection(TrainedOutputsGroup.Name)]
public sealed class ClassificationHeadTests(TrainedOutputsFixture trained)
{
    private static string StandardPlugin => Path.Combine(AppContext.BaseDirectory, "plugins", "standard", "MiM.Bundles.Standard.dll");

    [Fact]
    public async Task A_classification_head_on_shared_features_validates_and_classifies_as_with_its_encoder_embedded()
    {
        var shared = Write(Path.Combine(trained.Bundles, "cls-shared"), embedded: false);
        var embedded = Write(Path.Combine(trained.Bundles, "cls-embedded"), embedded: true);
        var validator = new BundleValidator(new PluginBundleDescriber(PluginLocator.FromAssemblies([StandardPlugin])));
        var known = KnownEncoderScanner.Scan(trained.Bundles);
        Assert.Empty(validator.Validate(shared, known).Problems);
        Assert.Empty(validator.Validate(embedded, known).Problems);

        var volume = SyntheticVolume.Create();
        using var plugin = PluginLoaderFactory.Load(StandardPlugin);
        using var encoder = (IEncoderBundle)Load(plugin, trained.Encoder);
        using var sharedHead = (IClassificationBundle)Load(plugin, shared);
        using var embeddedHead = (IClassificationBundle)Load(plugin, embedded);
        using var features = await encoder.EncodeAsync(volume, CancellationToken.None);
        var fromShared = await sharedHead.ClassifyAsync(new BundleInput(volume, features), CancellationToken.None);
        var fromEmbedded = await embeddedHead.ClassifyAsync(new BundleInput(volume), CancellationToken.None);

        Assert.Equal(["263654008", "17621005"], fromShared.Probabilities.Select(p => p.Class.CodeValue));
        Assert.Equal(1.0, fromShared.Probabilities.Sum(p => p.Probability), 6);
        Assert.Equal(fromEmbedded.Probabilities[0].Probability, fromShared.Probabilities[0].Probability, 6);
        await Assert.ThrowsAsync<InvalidOperationException>(() => sharedHead.ClassifyAsync(new BundleInput(volume), CancellationToken.None));
    }

    private string Write(string folder, bool embedded)
    {
        var encoderInference = JsonNode.Parse(File.ReadAllText(Path.Combine(trained.Encoder, "configs", "inference.json")))!.AsObject();
        var network = encoderInference["network_def"]!["network"]!.Deserialize<MimNetworkConfig>(PretrainConfig.JsonOptions)!;
        var options = encoderInference["network_def"]!["downstream"]!.Deserialize<DownstreamOptions>(PretrainConfig.JsonOptions)!;
        Directory.CreateDirectory(Path.Combine(folder, "models"));
        torch.manual_seed(3);
        using (var head = new MimClassificationNetwork(network, options))
        {
            var state = head.state_dict();
            Safetensors.SaveStateDict(Path.Combine(folder, "models", "head.safetensors"), state.Where(kv => !kv.Key.StartsWith("backbone.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value));
        }

        if (embedded)
        {
            File.Copy(Path.Combine(trained.Encoder, "models", "encoder.safetensors"), Path.Combine(folder, "models", "encoder.safetensors"));
        }

        encoderInference["network_def"]!["encoder"] = embedded ? "embedded" : "shared";
        var bundle = new MiM.Bundles.Host.Tests.Catalog.TestBundle("mim-classification-head", embedded ? "cls-embedded" : "cls-shared", "1.0.0", "classification") { MarkComplete = false };
        bundle.Metadata["encoder"] = embedded ? "embedded" : "shared";
        if (!embedded)
        {
            bundle.Metadata["requires"] = new JsonObject { ["mim-encoder"] = "^1.0" };
            bundle.Metadata["feature_format"] = "mim-hidden-states/1";
        }

        bundle.Weights.Clear();
        bundle.Write(folder);
        File.Delete(Path.Combine(folder, "models", "threshold.safetensors"));
        Directory.Delete(Path.Combine(folder, "lib"), recursive: true);
        File.WriteAllText(Path.Combine(folder, "configs", "inference.json"), encoderInference.ToJsonString());
        CompletionMarker.Write(folder);
        return folder;
    }

    private static IBundle Load(LoadedPlugin plugin, string folder)
    {
        var metadata = MetadataReader.Read(folder);
        using var inference = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "configs", "inference.json")));
        return plugin.ProviderOf(metadata.Kind!)!.Load(BundleContexts.For(folder, metadata, inference.RootElement.Clone(), "cpu", NullLogger.Instance));
    }
}
