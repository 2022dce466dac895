using System.Text.Json;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Training;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Weights;

/// <summary>What a fine-tuned model's description says about the network to build.</summary>
public interface IDownstreamModelDescription
{
    /// <summary>The description's format version.</summary>
    int Format { get; }

    /// <summary>Backbone sizes.</summary>
    MimNetworkConfig Network { get; }

    /// <summary>Downstream options (classes, ROI, ViT-block options).</summary>
    DownstreamOptions Options { get; }
}

/// <summary>
/// What the segmentation and classification model folders share: the network's state dict (<c>model.safetensors</c>)
/// beside a JSON description, written atomically and read strictly.
/// </summary>
internal static class DownstreamModelFolder
{
    public const string WeightsFile = "model.safetensors";

    public static void Save<TDescription>(string folder, nn.Module network, TDescription description, string descriptionFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(description);
        Directory.CreateDirectory(folder);
        MimWeights.Save(network, Path.Combine(folder, WeightsFile));
        var path = Path.Combine(folder, descriptionFile);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(description, PretrainConfig.JsonOptions));
        File.Move(temporary, path, overwrite: true);
    }

    /// <exception cref="InvalidDataException">The description is missing, unreadable or of a format newer than <paramref name="currentFormat"/>.</exception>
    public static TDescription ReadDescription<TDescription>(string folder, string descriptionFile, string kind, int currentFormat)
        where TDescription : class, IDownstreamModelDescription
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var path = Path.Combine(folder, descriptionFile);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"'{folder}' is not a {kind} model folder: {descriptionFile} is missing.");
        }

        TDescription? description;
        try
        {
            description = JsonSerializer.Deserialize<TDescription>(File.ReadAllText(path), PretrainConfig.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }

        if (description is null || description.Format > currentFormat)
        {
            throw new InvalidDataException($"{path}: empty, or a format newer than {currentFormat}.");
        }

        description.Options.Validate(description.Network);
        return description;
    }

    /// <summary>Loads the folder's weights strictly into <paramref name="network"/>, which is disposed when they do not match.</summary>
    /// <exception cref="WeightMismatchException">The weights do not match the network.</exception>
    public static TNetwork LoadWeights<TNetwork>(string folder, TNetwork network)
        where TNetwork : nn.Module
    {
        try
        {
            MimWeights.Load(network, Path.Combine(folder, WeightsFile));
        }
        catch
        {
            network.Dispose();
            throw;
        }

        return network;
    }
}
