using System.Text.Json;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Training;

namespace MiM.Bundles.Model.Weights;

/// <summary>
/// A fine-tuned classification model on disk: a folder with <c>model.safetensors</c> (the network's state dict, PyTorch
/// names, encoder under <c>backbone.</c>) and <c>classification.json</c> (<see cref="ClassificationModelDescription"/>).
/// `mim finetune` writes it for a classification recipe; `mim infer` reads it.
/// </summary>
public static class ClassificationModelFolder
{
    /// <summary>Weights file inside the folder.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>Description file inside the folder.</summary>
    public const string DescriptionFile = "classification.json";

    /// <summary>True when <paramref name="folder"/> holds a classification model (its description file).</summary>
    public static bool IsClassificationFolder(string folder) => File.Exists(Path.Combine(folder, DescriptionFile));

    /// <summary>Writes the network and its description into <paramref name="folder"/> (created if needed; files replaced atomically).</summary>
    public static void Save(string folder, MimClassificationNetwork network, ClassificationModelDescription description)
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
    public static ClassificationModelDescription ReadDescription(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var path = Path.Combine(folder, DescriptionFile);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"'{folder}' is not a classification model folder: {DescriptionFile} is missing.");
        }

        ClassificationModelDescription? description;
        try
        {
            description = JsonSerializer.Deserialize<ClassificationModelDescription>(File.ReadAllText(path), PretrainConfig.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }

        if (description is null || description.Format > ClassificationModelDescription.CurrentFormat)
        {
            throw new InvalidDataException($"{path}: empty, or a format newer than {ClassificationModelDescription.CurrentFormat}.");
        }

        description.Options.Validate(description.Network);
        return description;
    }

    /// <summary>Builds the network a folder describes and loads its weights strictly (CPU).</summary>
    /// <exception cref="InvalidDataException">The description is missing or unreadable.</exception>
    /// <exception cref="WeightMismatchException">The weights do not match the described network.</exception>
    public static (MimClassificationNetwork Network, ClassificationModelDescription Description) Load(string folder)
    {
        var description = ReadDescription(folder);
        var network = new MimClassificationNetwork(description.Network, description.Options);
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
