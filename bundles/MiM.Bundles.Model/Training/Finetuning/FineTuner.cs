using System.Diagnostics;
using System.Globalization;
using MiM.Bundles.Model.Evaluation;
using MiM.Bundles.Model.Inference;
using MiM.Bundles.Model.Losses;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Numerics;
using MiM.Bundles.Model.Randomness;
using MiM.Bundles.Model.Training.Checkpoints;
using MiM.Bundles.Model.Training.Precision;
using MiM.Bundles.Model.Training.Reporting;
using MiM.Bundles.Model.Weights;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Finetuning;

/// <summary>
/// Fine-tunes a <see cref="MimSegmentationNetwork"/> on labelled volumes (MIM_SPEC.md section 6): optional encoder
/// initialisation from a pre-training checkpoint (with the transfer report logged), optional frozen encoder, DiceCE
/// loss, AdamW with warm-up cosine, sliding-window validation on held-out cases every N steps with per-class Dice, the
/// best model kept by mean Dice without background, checkpoints for an exact resume, metrics CSVs and curve PNGs.
/// </summary>
/// <param name="config">The recipe.</param>
/// <param name="data">Training crops and validation cases.</param>
/// <param name="logger">Progress and the encoder transfer report.</param>
public sealed partial class FineTuner(FinetuneConfig config, IFinetuneData data, ILogger logger)
{
    /// <summary>Folder (in the run folder) of the model with the best validation Dice.</summary>
    public const string BestModelFolder = "best";

    /// <summary>Folder (in the run folder) of the model after the last step.</summary>
    public const string FinalModelFolder = "final";

    /// <summary>Per-step training metrics.</summary>
    public const string MetricsFile = "metrics.csv";

    /// <summary>Per-validation Dice.</summary>
    public const string ValidationFile = "validation.csv";

    private readonly Lazy<System.Text.Json.JsonElement> _preprocessing = new(() =>
    {
        using var document = System.Text.Json.JsonDocument.Parse(FinetuneDataset.PipelineJson(config.Data.ValidationTransforms, "data.validationTransforms"));
        return document.RootElement.Clone();
    });

    private static readonly StepCsvColumn[] MetricsColumns =
    [
        new("step"), new("lr"), new("loss"), new("dice_loss"), new("cross_entropy"), new("step_seconds", "F4"), new("elapsed_seconds", "F3"),
    ];

    /// <summary>Runs (or, with <paramref name="resume"/>, continues) the recipe.</summary>
    /// <exception cref="NonFiniteLossException">A loss became NaN or infinite; the last good checkpoint is kept.</exception>
    /// <exception cref="InvalidOperationException">The run folder already holds checkpoints and <paramref name="resume"/> is false.</exception>
    public FinetuneResult Run(bool resume, IProgress<FinetuneProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        config.Validate();
        if (config.Threads > 0)
        {
            torch.set_num_threads(config.Threads);
        }

        var device = TrainingDevice.Parse(config.Device);
        if (device.type == DeviceType.CPU)
        {
            // Refuse before any work when libtorch's CPU kernels are wrong here and no path the model has is right.
            CpuKernelGuard.EnsurePassed();
        }

        var runDirectory = Directory.CreateDirectory(config.Output.Directory).FullName;
        var seed = config.Data.Seed;
        var store = new CheckpointStore(runDirectory, config.Output.KeepCheckpoints);
        var latest = LatestCheckpoint(store, resume);

        torch.manual_seed(unchecked((long)seed));
        using var network = new MimSegmentationNetwork(config.Network, config.Downstream);
        if (latest is null && config.Pretrained is not null)
        {
            // On resume the checkpoint holds the (already fine-tuned) encoder; the transfer happens once, at step 0.
            foreach (var line in EncoderWeightTransfer.Load(network.Backbone, config.Pretrained).Describe())
            {
                LogTransfer(logger, line);
            }
        }

        if (config.FreezeEncoder)
        {
            foreach (var parameter in network.Backbone.parameters())
            {
                parameter.requires_grad = false;
            }
        }

        network.to(device);
        using var optimizer = AdamWFactory.Create(network, config.Optimizer);
        var (startStep, elapsedBefore) = latest is null ? (0L, 0.0) : Restore(latest, network, optimizer);

        var totalSteps = config.Optimizer.TotalSteps;
        var schedule = new WarmupCosineSchedule(
            config.Optimizer.LearningRate, config.Optimizer.MinLearningRate, config.Optimizer.WarmupSteps, totalSteps);
        LogStart(logger, config.Name, data.TrainingCaseCount, data.ValidationCases.Count, startStep, totalSteps, config.Device);
        using var metrics = new StepCsv(Path.Combine(runDirectory, MetricsFile), MetricsColumns, startStep);
        using var validations = new StepCsv(Path.Combine(runDirectory, ValidationFile), ValidationColumns(), startStep);
        var best = validations.Rows.Count == 0 ? (Step: 0L, Dice: double.NaN) : BestOf(validations.Rows);
        using var precision = new TrainingPrecision<MimSegmentationNetwork>(
            config.Precision, network, () => new MimSegmentationNetwork(config.Network, config.Downstream), device, 1);
        var loss = new DiceCeLoss();

        network.train();
        var clock = new RunClock(startStep, totalSteps, elapsedBefore);
        var step = startStep;
        var cancelled = false;
        while (step < totalSteps)
        {
            if (cancellation.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }

            var stepClock = Stopwatch.StartNew();
            var learningRate = schedule.At(step);
            AdamWFactory.SetLearningRate(optimizer, learningRate);
            precision.BeginStep();
            double total, diceTerm, ceTerm;
            using (var scope = NewDisposeScope())
            {
                // Drop-path draws from libtorch's global generator: seeding it per step keeps a resumed run exact.
                torch.manual_seed(unchecked((long)new StepRandom(seed, step, RandomPurpose.Other).NextUInt64()));
                using var batch = data.TrainingBatch(step);
                var logits = precision.ComputeNetwork.forward(precision.Prepare(batch.Images.to(device)));
                var terms = loss.Compute(logits, batch.Labels.to(device));
                (total, diceTerm, ceTerm) = (terms.Total.item<float>(), terms.Dice.item<float>(), terms.CrossEntropy.item<float>());
                if (!double.IsFinite(total))
                {
                    throw new NonFiniteLossException(
                        string.Create(CultureInfo.InvariantCulture, $"Step {step + 1}: the DiceCE loss is not finite (Dice {diceTerm}, CE {ceTerm}). ")
                        + $"No weights were updated; the last good checkpoint is {store.Latest() ?? "none (the run had not written one yet)"}. "
                        + "Lower optimizer.learningRate or check the labels.");
                }

                precision.Backward(terms.Total);
            }

            if (!precision.StepOptimizer(optimizer, config.Optimizer.GradientClipNorm))
            {
                LogOverflowSkipped(logger, step + 1);
            }

            step++;
            metrics.Append([step, learningRate, total, diceTerm, ceTerm, stepClock.Elapsed.TotalSeconds, clock.ElapsedSeconds]);
            FinetuneValidation? validation = null;
            if (step % config.Validation.Every == 0 || step == totalSteps)
            {
                validation = Validate(network, step, best.Dice, runDirectory);
                validations.Append([step, validation.MeanDice, .. validation.ClassDice]);
                if (validation.IsBest)
                {
                    best = (step, validation.MeanDice);
                }

                network.train();
            }

            string? written = null;
            if (step % config.Output.CheckpointEvery == 0 || step == totalSteps)
            {
                written = SaveCheckpoint(store, network, optimizer, step, clock.ElapsedSeconds, runDirectory, metrics, validations);
            }

            if (progress is not null && (step % config.Output.LogEvery == 0 || step == totalSteps || written is not null || validation is not null))
            {
                progress.Report(new FinetuneProgress(
                    step, totalSteps, total, diceTerm, ceTerm, learningRate, clock.StepsPerSecond(step), clock.Eta(step), validation, written));
            }
        }

        if (cancelled && step > startStep && step % config.Output.CheckpointEvery != 0)
        {
            SaveCheckpoint(store, network, optimizer, step, clock.ElapsedSeconds, runDirectory, metrics, validations);
        }

        string? last = null;
        if (!cancelled)
        {
            last = Path.Combine(runDirectory, FinalModelFolder);
            SaveModelFolder(network, last);
        }

        var bestFolder = Path.Combine(runDirectory, BestModelFolder);
        return new FinetuneResult(step, Directory.Exists(bestFolder) ? bestFolder : null, best.Dice, best.Step, last, cancelled);
    }

    private FinetuneValidation Validate(MimSegmentationNetwork network, long step, double bestSoFar, string runDirectory)
    {
        var classes = config.Downstream.Classes;
        var predictor = new SegmentationPredictor(
            network, new SlidingWindowOptions(network.Roi, config.Validation.Overlap, config.Validation.WindowBatch));
        var perCase = new List<double[]>();
        foreach (var validationCase in data.ValidationCases)
        {
            using var scope = NewDisposeScope();
            var predicted = predictor.Predict(validationCase.Image).argmax(0);
            var dice = new double[classes - 1];
            for (var c = 1; c < classes; c++)
            {
                dice[c - 1] = SegmentationMetrics.Dice(Mask(predicted, c), Mask(validationCase.Labels, c));
            }

            perCase.Add(dice);
            var caseMean = MeanDefined(dice);
            LogCaseDice(logger, step, validationCase.Name, caseMean);
        }

        var classDice = Enumerable.Range(0, classes - 1).Select(c => MeanDefined(perCase.Select(d => d[c]))).ToArray();
        var mean = MeanDefined(classDice);

        // NaN never beats anything; the first real score always does.
        var isBest = !double.IsNaN(mean) && (double.IsNaN(bestSoFar) || mean > bestSoFar);
        if (isBest)
        {
            SaveModelFolder(network, Path.Combine(runDirectory, BestModelFolder));
        }

        return new FinetuneValidation(step, classDice, mean, isBest);
    }

    private static bool[] Mask(Tensor labels, int label)
    {
        using var value = label.ToScalar();
        using var mask = labels.eq(value).cpu();
        return mask.data<bool>().ToArray();
    }

    /// <summary>Mean of the values that are not NaN (a class absent from prediction and reference has no Dice); NaN if none.</summary>
    private static double MeanDefined(IEnumerable<double> values)
    {
        var defined = values.Where(v => !double.IsNaN(v)).ToList();
        return defined.Count == 0 ? double.NaN : defined.Average();
    }

    /// <summary>Writes a model folder `mim infer` reads, replacing an older one only once the new one is complete.</summary>
    private void SaveModelFolder(MimSegmentationNetwork network, string folder)
    {
        var temp = folder + ".partial";
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }

        SegmentationModelFolder.Save(temp, network, new SegmentationModelDescription
        {
            Network = config.Network,
            Options = config.Downstream,
            ClassNames = config.ClassNames,
            Preprocessing = _preprocessing.Value,
        });
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.Move(temp, folder);
    }

    private string? LatestCheckpoint(CheckpointStore store, bool resume)
    {
        var latest = store.StartingPoint(resume, config.Output.Directory);
        if (resume && latest is null)
        {
            LogNothingToResume(logger, store.Directory);
        }

        return latest;
    }

    private (long Step, double Elapsed) Restore(string latest, MimSegmentationNetwork network, OptimizerHelper optimizer)
    {
        var saved = FinetuneConfig.FromJson(CheckpointStore.ReadState(latest).ConfigJson);
        // Records compare lists by reference; the JSON form compares the sizes themselves.
        if (System.Text.Json.JsonSerializer.Serialize(saved.Network) != System.Text.Json.JsonSerializer.Serialize(config.Network)
            || saved.Downstream != config.Downstream)
        {
            throw new InvalidOperationException(
                $"Checkpoint {latest} was trained with a different network configuration than '{config.Name}'.");
        }

        var state = CheckpointStore.Load(latest, network, optimizer);
        LogResumed(logger, latest, state.Step);
        return (state.Step, state.ElapsedSeconds);
    }

    private string SaveCheckpoint(
        CheckpointStore store, MimSegmentationNetwork network, OptimizerHelper optimizer, long step, double elapsed, string runDirectory, StepCsv metrics, StepCsv validations)
    {
        // The state dict and optimizer state are read through tensors that are disposed here, not by the finalizer.
        using var scope = NewDisposeScope();
        var folder = store.Save(network, optimizer, new CheckpointState(step, config.Data.Seed, config.ToJson(), elapsed));
        var steps = metrics.Rows.Select(r => r[0]).ToArray();
        CurvePlot.Write(Path.Combine(runDirectory, "loss.png"), $"Fine-tuning — {config.Name}", "loss",
        [
            new("DiceCE", steps, metrics.Rows.Select(r => r[2]).ToArray()),
            new("Dice term", steps, metrics.Rows.Select(r => r[3]).ToArray()),
            new("cross-entropy", steps, metrics.Rows.Select(r => r[4]).ToArray()),
        ]);
        var validationSteps = validations.Rows.Select(r => r[0]).ToArray();
        var curves = new List<CurveSeries> { new("mean (no background)", validationSteps, validations.Rows.Select(r => r[1]).ToArray()) };
        for (var c = 1; c < config.Downstream.Classes; c++)
        {
            var column = c + 1;
            curves.Add(new(ClassName(c), validationSteps, validations.Rows.Select(r => r[column]).ToArray()));
        }

        CurvePlot.Write(Path.Combine(runDirectory, "dice.png"), $"Validation Dice — {config.Name}", "Dice", curves);
        return folder;
    }

    private StepCsvColumn[] ValidationColumns() =>
        [new("step"), new("mean_dice"), .. Enumerable.Range(1, config.Downstream.Classes - 1).Select(c => new StepCsvColumn("dice_" + ClassName(c), "F6"))];

    private string ClassName(int c) =>
        c < config.ClassNames.Count ? config.ClassNames[c] : c == 0 ? "background" : string.Create(CultureInfo.InvariantCulture, $"class{c}");

    private static (long Step, double Dice) BestOf(IEnumerable<double[]> rows)
    {
        var best = (Step: 0L, Dice: double.NaN);
        foreach (var row in rows)
        {
            if (!double.IsNaN(row[1]) && (double.IsNaN(best.Dice) || row[1] > best.Dice))
            {
                best = ((long)row[0], row[1]);
            }
        }

        return best;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fine-tuning '{Recipe}' on {TrainingCases} labelled case(s), {ValidationCases} held out, steps {Start}..{Total}, device {Device}")]
    private static partial void LogStart(ILogger logger, string recipe, int trainingCases, int validationCases, long start, long total, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogTransfer(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "Step {Step}: validation case {Case}: mean Dice {Dice:F4}")]
    private static partial void LogCaseDice(ILogger logger, long step, string @case, double dice);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Step {Step}: fp16 gradients overflowed; optimiser step skipped and loss scale halved")]
    private static partial void LogOverflowSkipped(ILogger logger, long step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed from {Checkpoint} at step {Step}")]
    private static partial void LogResumed(ILogger logger, string checkpoint, long step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "--resume given but {Folder} holds no checkpoint; starting at step 0")]
    private static partial void LogNothingToResume(ILogger logger, string folder);
}
