using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Dicom;
using MiM.Bundles.Dicom.Series;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Imaging.Transforms.Configuration;
using MiM.Bundles.Model.Evaluation;
using MiM.Bundles.Model.Inference;
using MiM.Bundles.Model.Training;
using MiM.Bundles.Model.Weights;
using TorchSharp;

namespace MiM.Bundles.Cli.Commands;

/// <summary>`mim infer`: segment a CT volume with a fine-tuned model; Dice/HD95 against a reference when given.</summary>
internal static class InferCommand
{
    public static Command Create()
    {
        var weights = new Option<string>("--weights") { Description = "Fine-tuned model folder (model.safetensors + segmentation.json, as `mim finetune` writes), or its model.safetensors.", Required = true };
        var input = new Option<string>("--input") { Description = "CT volume: a NIfTI file (.nii, .nii.gz) or a folder holding one DICOM CT series.", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "Label map to write: OUT.nii.gz (DICOM-SEG output is not available yet).", Required = true };
        var reference = new Option<FileInfo?>("--reference") { Description = "Reference label map (NIfTI) on the input's grid: prints Dice and HD95 per class." };
        var roi = new Option<int?>("--roi") { Description = "Sliding-window ROI; must equal the network's (default: the network's)." };
        var overlap = new Option<double>("--overlap") { Description = "Window overlap in [0, 1).", DefaultValueFactory = _ => 0.5 };
        var batch = new Option<int>("--sw-batch") { Description = "Windows per forward pass.", DefaultValueFactory = _ => 2 };
        var keepLargest = new Option<bool>("--keep-largest") { Description = "Keep only the largest 26-connected component of each label." };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var command = new Command(
            "infer",
            "Segment a CT volume with a fine-tuned MiM model: the model's inference transforms, sliding-window inference "
            + "(Gaussian-weighted overlapping windows), argmax, back to the input's grid, optional keep-largest-component; "
            + "writes a NIfTI label map and, with --reference, prints Dice and HD95 (mm) per class.")
        {
            weights, input, output, reference, roi, overlap, batch, keepLargest, device,
        };
        command.SetAction(parse =>
        {
            try
            {
                return Run(new InferRequest(
                    parse.GetValue(weights)!,
                    parse.GetValue(input)!,
                    parse.GetValue(output)!.FullName,
                    parse.GetValue(reference)?.FullName,
                    parse.GetValue(roi),
                    parse.GetValue(overlap),
                    parse.GetValue(batch),
                    parse.GetValue(keepLargest),
                    parse.GetValue(device)!));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or WeightMismatchException
                                          or DicomException or TransformConfigException or NotSupportedException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static int Run(InferRequest request)
    {
        if (!request.Output.EndsWith(".nii", StringComparison.OrdinalIgnoreCase) && !request.Output.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException(
                $"'{request.Output}': DICOM-SEG output is not available yet (the SEG writer has not landed); write a .nii or .nii.gz label map.");
        }

        var folder = File.Exists(request.Weights) ? Path.GetDirectoryName(Path.GetFullPath(request.Weights))! : request.Weights;
        var clock = Stopwatch.StartNew();
        var (network, description) = SegmentationModelFolder.Load(folder);
        using var _ = network;
        if (request.Roi is { } roi && roi != network.Roi)
        {
            throw new ArgumentException($"--roi {roi} differs from the ROI the network was fine-tuned at ({network.Roi}).");
        }

        network.to(TrainingDevice.Parse(request.Device));
        var pipeline = VolumeSegmenter.PipelineFor(description, folder);
        var volume = ReadInput(request.Input);
        var loaded = clock.Elapsed.TotalSeconds;
        var segmenter = new VolumeSegmenter(
            network, pipeline, new SlidingWindowOptions(network.Roi, request.Overlap, request.WindowBatch), request.KeepLargest);
        var labels = segmenter.Segment(volume);
        var inferred = clock.Elapsed.TotalSeconds - loaded;
        NiftiWriter.Write(request.Output, labels);
        Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{request.Output}: {labels.Size} labels, {description.Options.Classes} classes; loaded in {loaded:F1} s, inferred in {inferred:F1} s"));
        foreach (var (value, count) in labels.CountVoxels().OrderBy(kv => kv.Key))
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {value,3} {description.ClassName(value),-20} {count,12} voxels"));
        }

        if (request.Reference is not null)
        {
            var referenceLabels = NiftiReader.ReadLabelMap(request.Reference);
            PrintEvaluation(SegmentationMetrics.Evaluate(labels, referenceLabels, description.Options.Classes, description.ClassName));
        }

        return 0;
    }

    private static Volume ReadInput(string input)
    {
        if (Directory.Exists(input))
        {
            return CtSeriesLoader.LoadFolder(input).Volume;
        }

        if (File.Exists(input))
        {
            return NiftiReader.ReadVolume(input);
        }

        throw new FileNotFoundException($"No NIfTI file or DICOM folder at '{input}'.", input);
    }

    private static void PrintEvaluation(SegmentationEvaluation evaluation)
    {
        Console.Out.WriteLine("  label class                  Dice   HD95 (mm)   predicted   reference");
        foreach (var c in evaluation.Classes)
        {
            Console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {c.Label,5} {c.Name,-20} {Format(c.Dice, "F4"),6} {Format(c.Hd95Mm, "F2"),11} {c.PredictedVoxels,11} {c.ReferenceVoxels,11}"));
        }

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  mean Dice (without background): {Format(evaluation.MeanDice, "F4")}"));
    }

    private static string Format(double value, string format) =>
        double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    private sealed record InferRequest(
        string Weights, string Input, string Output, string? Reference, int? Roi, double Overlap, int WindowBatch, bool KeepLargest, string Device);
}
