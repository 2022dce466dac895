using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Imaging.Transforms;
using MiM.Bundles.Imaging.Transforms.Configuration;
using MiM.Bundles.Model.Data;
using MiM.Bundles.Model.Randomness;
using MiM.Bundles.Model.Training.Finetuning;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Classification;

/// <summary>
/// The cases of an MSD-layout data set with a per-case class (<see cref="FinetuneDataSettings.CaseLabel"/>), prepared for
/// classification: each whole volume goes through the training pipeline, which must bring it to the network's ROI³
/// (e.g. Spacing then SpatialPad). The pipeline's deterministic head runs once per case, its random tail per step with the
/// step as the sample index, so every batch is a pure function of (seed, step). Held-out cases go through the
/// validation pipeline once. The held-out split is the segmentation fine-tune's (<see cref="HeldOutSplit"/>).
/// </summary>
public sealed class ClassificationDataset : IClassificationData, IDisposable
{
    private readonly List<(TransformSample Sample, int Class)> _prepared;
    private readonly TransformPipeline _randomTail;
    private readonly List<ClassificationCase> _validation;
    private readonly ulong _seed;
    private readonly int _batchSize;
    private readonly int _roi;

    private ClassificationDataset(
        List<(TransformSample, int)> prepared, TransformPipeline randomTail, List<ClassificationCase> validation, ulong seed, int batchSize, int roi)
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
    public IReadOnlyList<ClassificationCase> ValidationCases => _validation;

    /// <summary>Reads and prepares the cases a classification recipe names.</summary>
    /// <exception cref="InvalidDataException">The data set or a pipeline is missing or invalid, a class is out of range, a volume does not come out at the ROI, or there are too few cases.</exception>
    public static ClassificationDataset Open(FinetuneConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = config.Data;
        if (!File.Exists(settings.Dataset))
        {
            throw new InvalidDataException($"Data set description '{settings.Dataset}' does not exist.");
        }

        var key = settings.CaseLabel ?? throw new InvalidDataException("data.caseLabel is not set.");
        var (training, validation) = HeldOutSplit.Split(
            MsdDatasetJsonReader.ReadClassifiedCases(settings.Dataset, "training", key),
            MsdDatasetJsonReader.ReadClassifiedCases(settings.Dataset, "validation", key),
            settings);
        var classes = config.Downstream.Classes;
        foreach (var (image, label) in training.Concat(validation))
        {
            if (label < 0 || label >= classes)
            {
                throw new InvalidDataException($"'{settings.Dataset}': {image} has {key} = {label}, outside the classes 0..{classes - 1}.");
            }
        }

        var roi = config.Downstream.RoiFor(config.Network);
        var trainingPipeline = ParsePipeline(settings.TrainingTransforms, "data.trainingTransforms");
        var validationPipeline = ParsePipeline(settings.ValidationTransforms, "data.validationTransforms");
        var firstRandom = trainingPipeline.Transforms.TakeWhile(t => t is not IRandomTransform).Count();
        var head = new TransformPipeline([.. trainingPipeline.Transforms.Take(firstRandom)]);
        var tail = new TransformPipeline([.. trainingPipeline.Transforms.Skip(firstRandom)]);

        var prepared = training
            .Select(c => (head.Apply(SampleSource.FromVolumes(NiftiReader.ReadVolume(c.Image)), settings.Seed).Single().Sample, c.Class))
            .ToList();
        var validationCases = validation.Select(c =>
        {
            var sample = validationPipeline.Apply(SampleSource.FromVolumes(NiftiReader.ReadVolume(c.Image)), settings.Seed).Single().Sample;
            EnsureRoi(sample, roi, "data.validationTransforms");
            using var grid = VolumeTensors.Image(sample.Image);
            return new ClassificationCase(Path.GetFileName(c.Image), grid.reshape(1, 1, roi, roi, roi), c.Class);
        }).ToList();
        return new ClassificationDataset(prepared, tail, validationCases, settings.Seed, settings.BatchSize, roi);
    }

    /// <inheritdoc/>
    public ClassificationBatch TrainingBatch(long stepIndex)
    {
        var volumeChoice = new StepRandom(_seed, stepIndex, RandomPurpose.VolumeChoice);
        var images = new List<Tensor>(_batchSize);
        var classes = new long[_batchSize];
        using var scope = NewDisposeScope();
        for (var draw = 0; draw < _batchSize; draw++)
        {
            var (source, label) = _prepared[volumeChoice.NextInt(_prepared.Count)];

            // Sample indices of different steps never collide: a step draws batchSize volumes.
            var sample = _randomTail.Apply(SampleSource.FromVolumes(source.Image), _seed, (stepIndex * _batchSize) + draw).Single().Sample;
            EnsureRoi(sample, _roi, "data.trainingTransforms");
            images.Add(VolumeTensors.Image(sample.Image));
            classes[draw] = label;
        }

        return new ClassificationBatch(stack(images).unsqueeze(1).MoveToOuterDisposeScope(), tensor(classes).MoveToOuterDisposeScope());
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var validationCase in _validation)
        {
            validationCase.Image.Dispose();
        }
    }

    /// <summary>A whole volume must come out at exactly the ROI: a classifier sees the case once, not in windows.</summary>
    private static void EnsureRoi(TransformSample sample, int roi, string setting)
    {
        var size = sample.Image.Size;
        if (size.I != roi || size.J != roi || size.K != roi)
        {
            throw new InvalidDataException(
                $"{setting} made a {size} volume; the network's ROI is {roi}³. Resample with Spacing so that every axis fits in {roi} voxels, then SpatialPad to {roi}.");
        }
    }

    private static TransformPipeline ParsePipeline(System.Text.Json.JsonElement? entry, string setting)
    {
        try
        {
            return TransformPipeline.Parse(FinetuneDataset.PipelineJson(entry, setting));
        }
        catch (TransformConfigException e)
        {
            throw new InvalidDataException($"{setting}: {e.Message}", e);
        }
    }
}
