using MiM.Bundles.Model.Networks.Downstream;

namespace MiM.Bundles.Model.Weights;

/// <summary>
/// A fine-tuned classification model on disk: a folder with <c>model.safetensors</c> (the network's state dict, PyTorch
/// names, encoder under <c>backbone.</c>) and <c>classification.json</c> (<see cref="ClassificationModelDescription"/>).
/// `mim finetune` writes it for a classification recipe; `mim infer` reads it.
/// </summary>
public static class ClassificationModelFolder
{
    /// <summary>Weights file inside the folder.</summary>
    public const string WeightsFile = DownstreamModelFolder.WeightsFile;

    /// <summary>Description file inside the folder.</summary>
    public const string DescriptionFile = "classification.json";

    /// <summary>True when <paramref name="folder"/> holds a classification model (its description file).</summary>
    public static bool IsClassificationFolder(string folder) => File.Exists(Path.Combine(folder, DescriptionFile));

    /// <summary>Writes the network and its description into <paramref name="folder"/> (created if needed; files replaced atomically).</summary>
    public static void Save(string folder, MimClassificationNetwork network, ClassificationModelDescription description) =>
        DownstreamModelFolder.Save(folder, network, description, DescriptionFile);

    /// <summary>Reads the description of the model in <paramref name="folder"/>.</summary>
    /// <exception cref="InvalidDataException">The description is missing, unreadable or of a newer format.</exception>
    public static ClassificationModelDescription ReadDescription(string folder) =>
        DownstreamModelFolder.ReadDescription<ClassificationModelDescription>(folder, DescriptionFile, "classification", ClassificationModelDescription.CurrentFormat);

    /// <summary>Builds the network a folder describes and loads its weights strictly (CPU).</summary>
    /// <exception cref="InvalidDataException">The description is missing or unreadable.</exception>
    /// <exception cref="WeightMismatchException">The weights do not match the described network.</exception>
    public static (MimClassificationNetwork Network, ClassificationModelDescription Description) Load(string folder)
    {
        var description = ReadDescription(folder);
        return (DownstreamModelFolder.LoadWeights(folder, new MimClassificationNetwork(description.Network, description.Options)), description);
    }
}
