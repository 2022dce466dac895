using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MiM.Bundles.Cli.Configuration;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Dicom;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.Derived;
using MiM.Bundles.Dicom.Segmentation;
using MiM.Bundles.Dicom.Series;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Imaging.Transforms.Configuration;
using MiM.Bundles.Model.Evaluation;
using MiM.Bundles.Model.Inference;
using MiM.Bundles.Model.Numerics;
using MiM.Bundles.Model.Training;
using MiM.Bundles.Model.Weights;
using TorchSharp;

namespace MiM.Bundles.Cli.Commands;

/// <summary>
/// `mim infer`: segment a CT volume with a fine-tuned segmentation model (Dice/HD95 against a reference when given), or
/// classify it with a fine-tuned classification model (class probabilities, optionally a ClassificationResult JSON).
/// </summary>
internal static class InferCommand
{
    public static Command Create()
    {
        var weights = new Option<string>("--weights") { Description = "Fine-tuned model folder (model.safetensors + segmentation.json or classification.json, as `mim finetune` writes), or its model.safetensors.", Required = true };
        var input = new Option<string>("--input") { Description = "CT volume: a NIfTI file (.nii, .nii.gz) or a folder holding one DICOM CT series.", Required = true };
        var output = new Option<FileInfo?>("--output")
        {
            Description = "What to write. Segmentation (required): a NIfTI label map (OUT.nii.gz) or, for a DICOM series input, a DICOM-SEG (OUT.dcm) referencing every source image (needs --segments). "
                + "Classification (optional): a result JSON (R.json) that `mim dicom sr --result` reads.",
        };
        var segments = new Option<FileInfo?>("--segments") { Description = "With a .dcm output: the segments file naming each label with SNOMED CT codes, colour and the algorithm's name and version (as for `mim dicom seg`; see configs/segments/phantom-abdomen.json)." };
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
            + "writes a NIfTI label map or a DICOM-SEG and, with --reference, prints Dice and HD95 (mm) per class. "
            + "With a classification model (classification.json): the whole volume through the model's preprocessing, "
            + "prints each class's probability and, with --output R.json, writes a result `mim dicom sr` reads.")
        {
            weights, input, output, segments, reference, roi, overlap, batch, keepLargest, device,
        };
        command.SetAction(parse =>
        {
            try
            {
                return Run(new InferRequest(
                    parse.GetValue(weights)!,
                    parse.GetValue(input)!,
                    parse.GetValue(output)?.FullName,
                    parse.GetValue(segments)?.FullName,
                    parse.GetValue(reference)?.FullName,
                    parse.GetValue(roi),
                    parse.GetValue(overlap),
                    parse.GetValue(batch),
                    parse.GetValue(keepLargest),
                    parse.GetValue(device)!));
            }
            catch (KernelSelfCheckException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return TrainingExitCodes.KernelSelfCheckExitCode;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or WeightMismatchException
                                          or DicomException or TransformConfigException or NotSupportedException or FormatException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static int Run(InferRequest request)
    {
        var modelFolder = File.Exists(request.Weights) ? Path.GetDirectoryName(Path.GetFullPath(request.Weights))! : request.Weights;
        if (ClassificationModelFolder.IsClassificationFolder(modelFolder))
        {
            return Classify(request, modelFolder);
        }

        if (request.Output is null)
        {
            throw new ArgumentException("A segmentation model needs --output OUT.nii.gz or SEG.dcm.");
        }

        return Segment(request, request.Output);
    }

    private static int Classify(InferRequest request, string folder)
    {
        if (request.Output is { } path && !path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"'{path}': a classification model writes a result JSON (R.json).");
        }

        var clock = Stopwatch.StartNew();
        var (network, description) = ClassificationModelFolder.Load(folder);
        using var _ = network;
        network.to(TrainingDevice.Parse(request.Device));
        var (volume, _) = ReadInput(request.Input);
        var loaded = clock.Elapsed.TotalSeconds;
        var result = new VolumeClassifier(network, description).Classify(volume);
        Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{request.Input}: {description.Name} {description.Version}; loaded in {loaded:F1} s, classified in {clock.Elapsed.TotalSeconds - loaded:F1} s"));
        for (var c = 0; c < result.Probabilities.Count; c++)
        {
            var p = result.Probabilities[c];
            Console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture, $"  {c,3} {description.ClassName(c),-20} {p.Probability,8:F4}  {p.Class}"));
        }

        Console.Out.WriteLine($"  most likely: {description.ClassName(result.Probabilities.ToList().IndexOf(result.MostLikely))}");
        if (request.Output is not null)
        {
            ClassificationFile.Write(request.Output, result);
            Console.Out.WriteLine($"{request.Output}: classification result");
        }

        return 0;
    }

    private static int Segment(InferRequest request, string output)
    {
        var writesSeg = output.EndsWith(".dcm", StringComparison.OrdinalIgnoreCase);
        if (!writesSeg && !output.EndsWith(".nii", StringComparison.OrdinalIgnoreCase) && !output.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"'{output}': expected a .nii or .nii.gz label map, or a .dcm DICOM-SEG.");
        }

        // Check the SEG's prerequisites before minutes of inference, not after.
        var segSetup = writesSeg ? SegOutput.Prepare(request) : null;

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
        var modelLoaded = clock.Elapsed;
        var (volume, series) = ReadInput(request.Input);
        var inputRead = clock.Elapsed - modelLoaded;
        var segmenter = new VolumeSegmenter(
            network, pipeline, new SlidingWindowOptions(network.Roi, request.Overlap, request.WindowBatch), request.KeepLargest);
        var timings = new SegmentationTimings();
        var segmentStart = clock.Elapsed;
        var labels = segmenter.Segment(volume, timings);
        var writeStart = clock.Elapsed;
        if (segSetup is not null)
        {
            segSetup.Write(labels, series!, output);
        }
        else
        {
            NiftiWriter.Write(output, labels);
        }

        var written = clock.Elapsed - writeStart;
        Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{output}: {labels.Size} labels, {description.Options.Classes} classes; loaded in {(modelLoaded + inputRead).TotalSeconds:F1} s, inferred in {(writeStart - segmentStart).TotalSeconds:F1} s"));
        PrintTimings(modelLoaded, inputRead, timings, written, clock.Elapsed);
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

    private static (Volume Volume, CtSeries? Series) ReadInput(string input)
    {
        if (Directory.Exists(input))
        {
            var series = CtSeriesLoader.LoadFolder(input);
            return (series.Volume, series);
        }

        if (File.Exists(input))
        {
            return (NiftiReader.ReadVolume(input), null);
        }

        throw new FileNotFoundException($"No NIfTI file or DICOM folder at '{input}'.", input);
    }

    /// <summary>Where the time went, part by part, so a site sees what its sliding-window settings cost.</summary>
    private static void PrintTimings(TimeSpan model, TimeSpan input, SegmentationTimings timings, TimeSpan written, TimeSpan total)
    {
        var perWindow = timings.Windows > 0 ? timings.Network.TotalSeconds / timings.Windows : 0;
        Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  time: model {model.TotalSeconds:F1} s, input {input.TotalSeconds:F1} s, transforms {timings.Transforms.TotalSeconds:F1} s, "
            + $"network {timings.Network.TotalSeconds:F1} s ({timings.Windows} windows, {perWindow:F2} s each), blending {timings.Blending.TotalSeconds:F1} s, "
            + $"softmax and argmax {timings.Labels.TotalSeconds:F1} s, back to the source grid {timings.BackToSource.TotalSeconds:F1} s, "
            + $"keep-largest {timings.KeepLargest.TotalSeconds:F1} s, write {written.TotalSeconds:F1} s; total {total.TotalSeconds:F1} s"));
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
        string Weights, string Input, string? Output, string? Segments, string? Reference, int? Roi, double Overlap, int WindowBatch, bool KeepLargest, string Device);

    /// <summary>The DICOM-SEG output of `mim infer`: the segments file read and checked up front, written after inference.</summary>
    private sealed class SegOutput(SegmentsFile segments, string algorithmName, string algorithmVersion)
    {
        private static readonly DicomTag NumberOfFrames = new(0x0028, 0x0008);

        public static SegOutput Prepare(InferRequest request)
        {
            if (!Directory.Exists(request.Input))
            {
                throw new NotSupportedException($"'{request.Output}': a DICOM-SEG references its source images, so --input must be a DICOM series folder, not '{request.Input}'.");
            }

            if (request.Segments is null)
            {
                throw new ArgumentException($"'{request.Output}': a DICOM-SEG output needs --segments SEGMENTS.json (label names, SNOMED CT codes, algorithm name and version).");
            }

            var file = SegmentsFile.Read(request.Segments);
            if (file.AlgorithmName is null || file.AlgorithmVersion is null)
            {
                throw new FormatException($"{request.Segments}: no algorithm name and version; expected \"algorithm\": {{\"name\", \"version\"}} (the model's name and version go into the SEG).");
            }

            return new SegOutput(file, file.AlgorithmName, file.AlgorithmVersion);
        }

        public void Write(LabelMap labels, CtSeries series, string path)
        {
            var options = new SegmentationOptions { AlgorithmName = algorithmName, AlgorithmVersion = algorithmVersion };
            var seg = SegmentationWriter.Create(labels, SourceSeries.FromLoad(series), segments.Segments, options);
            seg.Save(path);
            Console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{path}: DICOM-SEG, {seg.Dataset.GetInt32(NumberOfFrames)} frames, referencing {series.Report.Slices.Count} images of series {series.Report.SeriesInstanceUid}"));
        }
    }
}
