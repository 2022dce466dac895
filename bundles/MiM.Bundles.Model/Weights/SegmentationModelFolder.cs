using System.Text.Json;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Training;

namespace MiM.Bundles.Model.Weights;

/// <summary>
/// A fine-tuned segmentation model on disk: a folder with <c>model.safetensors</c> (the network's state dict,
/// PyTorch names, encoder under <c>backbone.</c>) and <c>segmentation.json</c> (<see cref="SegmentationModelDescription"/>).
/// `mim finetune` writes it; `mim infer` reads it.
/// </summary>
public static class SegmentationModelFolder
{
    /// <summary>Weights file inside the folder.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>Description file inside the folder.</summary>
    public const string DescriptionFile = "segmentation.json";

    /// <summary>Writes the network and its description into <paramref name="folder"/> (created if needed; files replaced atomically).</summary>
    public static void Save(string folder, MimSegmentationNetwork network, SegmentationModelDescription description)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(description);
        Directory.CreateDirectory(folder);
        MimWeights.Save(network, Path.Combine(folder, WeightsFile));
        var path = Path.Combine(folder, DescriptionFile);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(description, PretrainConfig.JsonOptions));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads the description of the model in <paramref name="folder"/>.</summary>
    /// <exception cref="InvalidDataException">The description is missing, unreadable or of a newer format.</exception>
    public static SegmentationModelDescription ReadDescription(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var path = Path.Combine(folder, DescriptionFile);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"'{folder}' is not a segmentation model folder: {DescriptionFile} is missing.");
        }

        SegmentationModelDescription? description;
        try
        {
            description = JsonSerializer.Deserialize<SegmentationModelDescription>(File.ReadAllText(path), PretrainConfig.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }

        if (description is null || description.Format > SegmentationModelDescription.CurrentFormat)
        {
            throw new InvalidDataException($"{path}: empty, or a format newer than {SegmentationModelDescription.CurrentFormat}.");
        }

        description.Options.Validate(description.Network);
        return description;
    }

    /// <summary>Builds the network a folder describes and loads its weights strictly (CPU).</summary>
    /// <exception cref="InvalidDataException">The description is missing or unreadable.</exception>
    /// <exception cref="WeightMismatchException">The weights do not match the described network.</exception>
    public static (MimSegmentationNetwork Network, SegmentationModelDescription Description) Load(string folder)
    {
        var description = ReadDescription(folder);
        var network = new MimSegmentationNetwork(description.Network, description.Options);
        try
        {
            MimWeights.Load(network, Path.Combine(folder, WeightsFile));
        }
        catch
        {
            network.Dispose();
            throw;
        }

        return (network, description);
    }
}
