using System.Text.Json;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Imaging.Transforms;
using MiM.Bundles.Imaging.Transforms.Configuration;
using MiM.Bundles.Model.Data;
using MiM.Bundles.Model.Randomness;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Finetuning;

/// <summary>
/// The labelled cases of an MSD-layout data set, prepared for fine-tuning. Labels are first mapped to classes
/// (<see cref="FinetuneDataSettings.Labels"/>). The training pipeline's deterministic head (everything before its first
/// random transform) runs once per case; its random tail runs per step with the step as the sample index, so every crop
/// is a pure function of (seed, step). Validation cases go through the validation pipeline once.
/// </summary>
public sealed class FinetuneDataset : IFinetuneData, IDisposable
{
    private readonly List<TransformSample> _prepared;
    private readonly TransformPipeline _randomTail;
    private readonly List<ValidationCase> _validation;
    private readonly ulong _seed;
    private readonly int _batchSize;
    private readonly int _roi;

    private FinetuneDataset(List<TransformSample> prepared, TransformPipeline randomTail, List<ValidationCase> validation, ulong seed, int batchSize, int roi)
    {
        _prepared = prepared;
        _randomTail = randomTail;
        _validation = validation;
        _seed = seed;
        _batchSize = batchSize;
        _roi = roi;
    }

    /// <inheritdoc/>
    public int TrainingCaseCount => _prepared.Count;

    /// <inheritdoc/>
    public IReadOnlyList<ValidationCase> ValidationCases => _validation;

    /// <summary>Reads and prepares the cases a recipe names.</summary>
    /// <exception cref="InvalidDataException">The data set or a pipeline is missing or invalid, or there are too few cases.</exception>
    public static FinetuneDataset Open(FinetuneConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = config.Data;
        if (!File.Exists(settings.Dataset))
        {
            throw new InvalidDataException($"Data set description '{settings.Dataset}' does not exist.");
        }

        var (training, validation) = Split(settings);
        var trainingPipeline = ParsePipeline(settings.TrainingTransforms, "data.trainingTransforms");
        var validationPipeline = ParsePipeline(settings.ValidationTransforms, "data.validationTransforms");
        var firstRandom = trainingPipeline.Transforms.TakeWhile(t => !IsRandom(t)).Count();
        var head = new TransformPipeline([.. trainingPipeline.Transforms.Take(firstRandom)]);
        var tail = new TransformPipeline([.. trainingPipeline.Transforms.Skip(firstRandom)]);
        if (!tail.Transforms.Any(t => t.Name == "RandCropByPosNegLabel"))
        {
            throw new InvalidDataException("data.trainingTransforms must crop with RandCropByPosNegLabel (spatial_size = the ROI).");
        }

        var prepared = training
            .Select(c => head.Apply(Load(c, settings.Labels), settings.Seed).Single().Sample)
            .ToList();
        var validationCases = validation.Select(c =>
        {
            var sample = validationPipeline.Apply(Load(c, settings.Labels), settings.Seed).Single().Sample;
            return new ValidationCase(Path.GetFileName(c.Image), VolumeTensors.Image(sample.Image), VolumeTensors.Labels(sample.Label!));
        }).ToList();
        return new FinetuneDataset(prepared, tail, validationCases, settings.Seed, settings.BatchSize, config.Downstream.RoiFor(config.Network));
    }

    /// <summary>The pipeline JSON of a recipe entry: an inline pipeline object, or a string naming a pipeline file.</summary>
    /// <exception cref="InvalidDataException">The entry is missing or the file does not exist.</exception>
    public static string PipelineJson(JsonElement? entry, string setting)
    {
        return entry switch
        {
            { ValueKind: JsonValueKind.Object } inline => inline.GetRawText(),
            { ValueKind: JsonValueKind.String } path when File.Exists(path.GetString()) => File.ReadAllText(path.GetString()!),
            { ValueKind: JsonValueKind.String } path => throw new InvalidDataException($"{setting}: pipeline file '{path.GetString()}' does not exist."),
            _ => throw new InvalidDataException($"{setting} must be a transforms pipeline object or the path of a pipeline file."),
        };
    }

    /// <inheritdoc/>
    public FinetuneBatch TrainingBatch(long stepIndex)
    {
        var volumeChoice = new StepRandom(_seed, stepIndex, RandomPurpose.VolumeChoice);
        var images = new List<Tensor>(_batchSize);
        var labels = new List<Tensor>(_batchSize);
        using var scope = NewDisposeScope();
        for (var draw = 0; images.Count < _batchSize; draw++)
        {
            var source = _prepared[volumeChoice.NextInt(_prepared.Count)];
            // Sample indices of different steps never collide: a step draws at most batchSize cases.
            var crops = _randomTail.Apply(SampleSource.FromVolumes(source.Image, source.Label), _seed, (stepIndex * _batchSize) + draw);
            foreach (var crop in crops.Take(_batchSize - images.Count))
            {
                var size = crop.Sample.Image.Size;
                if (size.I != _roi || size.J != _roi || size.K != _roi)
                {
                    throw new InvalidDataException(
                        $"The training pipeline made a {size} crop; the network's ROI is {_roi}³ (set RandCropByPosNegLabel's spatial_size and SpatialPad to {_roi}).");
                }

                images.Add(VolumeTensors.Image(crop.Sample.Image));
                labels.Add(VolumeTensors.Labels(crop.Sample.Label!));
            }
        }

        var batch = new FinetuneBatch(stack(images).unsqueeze(1).MoveToOuterDisposeScope(), stack(labels).unsqueeze(1).MoveToOuterDisposeScope());
        return batch;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var validationCase in _validation)
        {
            validationCase.Image.Dispose();
            validationCase.Labels.Dispose();
        }
    }

    private static bool IsRandom(ISampleTransform transform) => transform.Name.StartsWith("Rand", StringComparison.Ordinal);

    private static TransformPipeline ParsePipeline(JsonElement? entry, string setting)
    {
        try
        {
            return TransformPipeline.Parse(PipelineJson(entry, setting));
        }
        catch (TransformConfigException e)
        {
            throw new InvalidDataException($"{setting}: {e.Message}", e);
        }
    }

    private static (IReadOnlyList<(string Image, string Label)> Training, IReadOnlyList<(string Image, string Label)> Validation) Split(FinetuneDataSettings settings) =>
        HeldOutSplit.Split(
            MsdDatasetJsonReader.ReadLabelledCases(settings.Dataset, "training"),
            MsdDatasetJsonReader.ReadLabelledCases(settings.Dataset, "validation"),
            settings);

    private static SampleSource Load((string Image, string Label) paths, IReadOnlyList<int> classLabels)
    {
        var image = NiftiReader.ReadVolume(paths.Image);
        var labels = NiftiReader.ReadLabelMap(paths.Label);
        if (classLabels.Count > 0)
        {
            // Source label classLabels[c − 1] becomes class c; every other value is background.
            var map = new ushort[ushort.MaxValue + 1];
            for (var c = 0; c < classLabels.Count; c++)
            {
                map[classLabels[c]] = (ushort)(c + 1);
            }

            var voxels = labels.Voxels;
            for (var v = 0; v < voxels.Length; v++)
            {
                voxels[v] = map[voxels[v]];
            }
        }

        return SampleSource.FromVolumes(image, labels);
    }
}
