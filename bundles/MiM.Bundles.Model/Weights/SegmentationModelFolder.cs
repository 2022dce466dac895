using MiM.Bundles.Model.Networks.Downstream;

namespace MiM.Bundles.Model.Weights;

/// <summary>
/// A fine-tuned segmentation model on disk: a folder with <c>model.safetensors</c> (the network's state dict,
/// PyTorch names, encoder under <c>backbone.</c>) and <c>segmentation.json</c> (<see cref="SegmentationModelDescription"/>).
/// `mim finetune` writes it; `mim infer` reads it.
/// </summary>
public static class SegmentationModelFolder
{
    /// <summary>Weights file inside the folder.</summary>
    public const string WeightsFile = DownstreamModelFolder.WeightsFile;

    /// <summary>Description file inside the folder.</summary>
    public const string DescriptionFile = "segmentation.json";

    /// <summary>Writes the network and its description into <paramref name="folder"/> (created if needed; files replaced atomically).</summary>
    public static void Save(string folder, MimSegmentationNetwork network, SegmentationModelDescription description) =>
        DownstreamModelFolder.Save(folder, network, description, DescriptionFile);

    /// <summary>Reads the description of the model in <paramref name="folder"/>.</summary>
    /// <exception cref="InvalidDataException">The description is missing, unreadable or of a newer format.</exception>
    public static SegmentationModelDescription ReadDescription(string folder) =>
        DownstreamModelFolder.ReadDescription<SegmentationModelDescription>(folder, DescriptionFile, "segmentation", SegmentationModelDescription.CurrentFormat);

    /// <summary>Builds the network a folder describes and loads its weights strictly (CPU).</summary>
    /// <exception cref="InvalidDataException">The description is missing or unreadable.</exception>
    /// <exception cref="WeightMismatchException">The weights do not match the described network.</exception>
    public static (MimSegmentationNetwork Network, SegmentationModelDescription Description) Load(string folder)
    {
        var description = ReadDescription(folder);
        return (DownstreamModelFolder.LoadWeights(folder, new MimSegmentationNetwork(description.Network, description.Options)), description);
    }
}
