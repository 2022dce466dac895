using System.Globalization;
using System.Text.Json;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Weights;
using static TorchSharp.torch;

namespace MiM.Bundles.Bench;

/// <summary>
/// Writes a segmentation model folder of a given network size with seeded, untrained weights and the abdominal CT
/// inference transforms (configs/transforms/abdomen-ct-infer.json), so `mim infer` can be timed end to end at the full
/// size where no full-size network is trained. Its labels are meaningless; the work per window is the same.
/// </summary>
internal static class UntrainedSegmentationModel
{
    public static void Write(string[] args, string root)
    {
        if (args.Length < 3)
        {
            throw new ArgumentException("Usage: segmentation-model SIZE(unit|smoke|full) OUTPUT-FOLDER [classes=10]");
        }

        var config = NetworkBench.Size(args[1]);
        var classes = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;
        using var transforms = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "configs", "transforms", "abdomen-ct-infer.json")));
        var options = new DownstreamOptions { Classes = classes };
        manual_seed(0);
        using var network = new MimSegmentationNetwork(config, options);
        SegmentationModelFolder.Save(args[2], network, new SegmentationModelDescription
        {
            Network = config,
            Options = options,
            Preprocessing = transforms.RootElement.Clone(),
        });
        Console.WriteLine($"{args[2]}: untrained {args[1]} segmentation model, {classes} classes, ROI {network.Roi}³, abdominal CT inference transforms");
    }
}
