using System.CommandLine;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Model.Inference;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Numerics;
using MiM.Bundles.Model.Training;
using MiM.Bundles.Model.Weights;
using TorchSharp;
using TorchSharp.PyBridge;

namespace MiM.Bundles.Cli.Commands;

/// <summary>`mim features`: embed a CT volume with a pre-trained MiM encoder.</summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var weights = new Option<FileInfo>("--weights") { Description = "model.safetensors from `mim pretrain` (or the authors' PyTorch code).", Required = true };
        var config = new Option<FileInfo?>("--config") { Description = "Recipe or model.json with the network sizes (default: model.json or state.json next to the weights)." };
        var input = new Option<FileInfo>("--input") { Description = "CT volume as NIfTI (.nii or .nii.gz).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Output safetensors: 'features' [D, Gi, Gj, Gk] per 16³ token (RAS order) and 'embedding' [D].", Required = true };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var command = new Command(
            "features",
            "Encoder features of a CT volume (the foundation-model embedding): the volume is prepared as for pre-training, "
            + "encoded window by window with every token visible, and written as a token feature grid plus its mean.")
        {
            weights, config, input, output, device,
        };
        command.SetAction(parse =>
        {
            try
            {
                var weightsPath = parse.GetValue(weights)!.FullName;
                var network = NetworkConfigResolver.Resolve(weightsPath, parse.GetValue(config)?.FullName);
                using var model = new MimPretrainNetwork(network);
                MimWeights.Load(model, weightsPath);
                model.to(TrainingDevice.Parse(parse.GetValue(device)!));
                var volume = NiftiReader.ReadVolume(parse.GetValue(input)!.FullName);
                using var features = new FeatureExtractor(model).Extract(volume);
                var outPath = parse.GetValue(output)!.FullName;
                Safetensors.SaveStateDict(outPath, new Dictionary<string, TorchSharp.torch.Tensor>
                {
                    ["features"] = features.TokenGrid,
                    ["embedding"] = features.Embedding,
                });
                Console.Out.WriteLine(
                    $"{outPath}: features {string.Join('x', features.TokenGrid.shape)} from {features.Tiles} window(s); embedding [{features.Embedding.shape[0]}]");
                return 0;
            }
            catch (KernelSelfCheckException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return TrainingExitCodes.KernelSelfCheckExitCode;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or WeightMismatchException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
