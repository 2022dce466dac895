using System.Diagnostics;
using System.Globalization;
using MiM.Bundles.Model.Evaluation;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Numerics;
using MiM.Bundles.Model.Randomness;
using MiM.Bundles.Model.Training.Checkpoints;
using MiM.Bundles.Model.Training.Finetuning;
using MiM.Bundles.Model.Training.Precision;
using MiM.Bundles.Model.Training.Reporting;
using MiM.Bundles.Model.Weights;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Classification;

/// <summary>
/// Fine-tunes a <see cref="MimClassificationNetwork"/> (MIM_SPEC.md section 6: tokens → mean pool → LayerNorm → Linear)
/// on whole volumes with a per-case class: optional encoder initialisation from a pre-training checkpoint (transfer report
/// logged), optional frozen encoder, cross-entropy loss, AdamW with warm-up cosine, validation on held-out cases every N
/// steps with AUC (class 1 against the rest) and accuracy, the best model kept by AUC then accuracy, checkpoints for an
/// exact resume, metrics CSVs and curve PNGs. The machinery (optimiser, schedule, checkpoints, precision, CSVs, run
/// folders) is the segmentation <see cref="FineTuner"/>'s; only the network, loss and validation differ.
/// </summary>
/// <param name="config">The recipe (<see cref="FinetuneConfig.Task"/> = classification).</param>
/// <param name="data">Training volumes and held-out cases.</param>
/// <param name="logger">Progress and the encoder transfer report.</param>
public sealed partial class ClassificationFineTuner(FinetuneConfig config, IClassificationData data, ILogger logger)
{
    /// <summary>Per-validation AUC, accuracy and loss.</summary>
    public const string ValidationFile = FineTuner.ValidationFile;

    private static readonly StepCsvColumn[] MetricsColumns =
    [
        new("step"), new("lr"), new("loss"), new("step_seconds", "F4"), new("elapsed_seconds", "F3"),
    ];

    private static readonly StepCsvColumn[] ValidationColumns =
    [
        new("step"), new("auc", "F6"), new("accuracy", "F6"), new("loss", "F6"),
    ];

    private readonly Lazy<System.Text.Json.JsonElement> _preprocessing = new(() =>
    {
        using var document = System.Text.Json.JsonDocument.Parse(FinetuneDataset.PipelineJson(config.Data.ValidationTransforms, "data.validationTransforms"));
        return document.RootElement.Clone();
    });

    /// <summary>Runs (or, with <paramref name="resume"/>, continues) the recipe.</summary>
    /// <exception cref="NonFiniteLossException">A loss became NaN or infinite; the last good checkpoint is kept.</exception>
    /// <exception cref="InvalidOperationException">The run folder already holds checkpoints and <paramref name="resume"/> is false, or the recipe is not a classification recipe.</exception>
    public ClassificationResultSummary Run(bool resume, IProgress<ClassificationProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        config.Validate();
        if (config.Task != FinetuneTask.Classification)
        {
            throw new InvalidOperationException($"Recipe '{config.Name}' is a {config.Task} recipe; the classification fine-tuner needs \"task\": \"classification\".");
        }

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
        var latest = store.StartingPoint(resume, config.Output.Directory);
        if (resume && latest is null)
        {
            LogNothingToResume(logger, store.Directory);
        }

        torch.manual_seed(unchecked((long)seed));
        using var network = new MimClassificationNetwork(config.Network, config.Downstream);
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
        using var metrics = new StepCsv(Path.Combine(runDirectory, FineTuner.MetricsFile), MetricsColumns, startStep);
        using var validations = new StepCsv(Path.Combine(runDirectory, ValidationFile), ValidationColumns, startStep);
        var best = BestOf(validations.Rows);
        using var precision = new TrainingPrecision<MimClassificationNetwork>(
            config.Precision, network, () => new MimClassificationNetwork(config.Network, config.Downstream), device, 1);

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
            double loss;
            using (var scope = NewDisposeScope())
            {
                // Drop-path draws from libtorch's global generator: seeding it per step keeps a resumed run exact.
                torch.manual_seed(unchecked((long)new StepRandom(seed, step, RandomPurpose.Other).NextUInt64()));
                using var batch = data.TrainingBatch(step);
                var logits = precision.ComputeNetwork.forward(precision.Prepare(batch.Images.to(device)));
                var crossEntropy = nn.functional.cross_entropy(logits.to(float32), batch.Classes.to(device));
                loss = crossEntropy.item<float>();
                if (!double.IsFinite(loss))
                {
                    throw new NonFiniteLossException(
                        string.Create(CultureInfo.InvariantCulture, $"Step {step + 1}: the cross-entropy loss is not finite ({loss}). ")
                        + $"No weights were updated; the last good checkpoint is {store.Latest() ?? "none (the run had not written one yet)"}. "
                        + "Lower optimizer.learningRate or check the inputs.");
                }

                precision.Backward(crossEntropy);
            }

            if (!precision.StepOptimizer(optimizer, config.Optimizer.GradientClipNorm))
            {
                LogOverflowSkipped(logger, step + 1);
            }

            step++;
            metrics.Append([step, learningRate, loss, stepClock.Elapsed.TotalSeconds, clock.ElapsedSeconds]);
            ClassificationValidation? validation = null;
            if (step % config.Validation.Every == 0 || step == totalSteps)
            {
                validation = Validate(network, step, best, runDirectory);
                validations.Append([step, validation.Auc, validation.Accuracy, validation.Loss]);
                if (validation.IsBest)
                {
                    best = (step, validation.Auc, validation.Accuracy);
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
                progress.Report(new ClassificationProgress(
                    step, totalSteps, loss, learningRate, clock.StepsPerSecond(step), clock.Eta(step), validation, written));
            }
        }

        if (cancelled && step > startStep && step % config.Output.CheckpointEvery != 0)
        {
            SaveCheckpoint(store, network, optimizer, step, clock.ElapsedSeconds, runDirectory, metrics, validations);
        }

        string? last = null;
        if (!cancelled)
        {
            last = Path.Combine(runDirectory, FineTuner.FinalModelFolder);
            SaveModelFolder(network, last, step);
        }

        var bestFolder = Path.Combine(runDirectory, FineTuner.BestModelFolder);
        return new ClassificationResultSummary(
            step, Directory.Exists(bestFolder) ? bestFolder : null, best.Auc, best.Accuracy, best.Step, last, cancelled);
    }

    /// <summary>True when (auc, accuracy) beats the best so far: a higher AUC, or an equal AUC with a higher accuracy. An undefined AUC ranks below every defined one.</summary>
    internal static bool Beats(double auc, double accuracy, double bestAuc, double bestAccuracy)
    {
        if (double.IsNaN(accuracy))
        {
            return false;
        }

        var (a, b) = (double.IsNaN(auc) ? -1 : auc, double.IsNaN(bestAuc) ? -1 : bestAuc);
        return a > b || (a == b && (double.IsNaN(bestAccuracy) || accuracy > bestAccuracy));
    }

    private ClassificationValidation Validate(MimClassificationNetwork network, long step, (long Step, double Auc, double Accuracy) best, string runDirectory)
    {
        network.eval();
        var scores = new List<double>();
        var positive = new List<bool>();
        var predicted = new List<int>();
        var actual = new List<int>();
        double lossSum = 0;
        var device = network.parameters().First().device;
        foreach (var validationCase in data.ValidationCases)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var logits = network.forward(validationCase.Image.to(device)).to(float32);
            using var target = tensor(new long[] { validationCase.Class }).to(device);
            lossSum += nn.functional.cross_entropy(logits, target).item<float>();
            var probabilities = nn.functional.softmax(logits, 1).to(float64).cpu().data<double>().ToArray();
            scores.Add(probabilities[1]);
            positive.Add(validationCase.Class == 1);
            predicted.Add(Array.IndexOf(probabilities, probabilities.Max()));
            actual.Add(validationCase.Class);
            LogCase(logger, step, validationCase.Name, validationCase.Class, probabilities[1]);
        }

        var auc = BinaryClassificationMetrics.Auc(scores, positive);
        var accuracy = BinaryClassificationMetrics.Accuracy(predicted, actual);
        var isBest = Beats(auc, accuracy, best.Auc, best.Accuracy);
        if (isBest)
        {
            SaveModelFolder(network, Path.Combine(runDirectory, FineTuner.BestModelFolder), step);
        }

        return new ClassificationValidation(step, auc, accuracy, lossSum / Math.Max(1, data.ValidationCases.Count), isBest);
    }

    /// <summary>Writes a model folder `mim infer` reads, replacing an older one only once the new one is complete.</summary>
    private void SaveModelFolder(MimClassificationNetwork network, string folder, long step)
    {
        var temp = folder + ".partial";
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }

        ClassificationModelFolder.Save(temp, network, new ClassificationModelDescription
        {
            Name = config.Name,
            Version = string.Create(CultureInfo.InvariantCulture, $"0.1.0+step.{step}"),
            Network = config.Network,
            Options = config.Downstream,
            ClassNames = config.ClassNames,
            ClassCodes = config.ClassCodes,
            Preprocessing = _preprocessing.Value,
        });
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.Move(temp, folder);
    }

    private (long Step, double Elapsed) Restore(string latest, MimClassificationNetwork network, OptimizerHelper optimizer)
    {
        var saved = FinetuneConfig.FromJson(CheckpointStore.ReadState(latest).ConfigJson);
        // Records compare lists by reference; the JSON form compares the sizes themselves.
        if (System.Text.Json.JsonSerializer.Serialize(saved.Network) != System.Text.Json.JsonSerializer.Serialize(config.Network)
            || saved.Downstream != config.Downstream || saved.Task != config.Task)
        {
            throw new InvalidOperationException(
                $"Checkpoint {latest} was trained with a different network configuration than '{config.Name}'.");
        }

        var state = CheckpointStore.Load(latest, network, optimizer);
        LogResumed(logger, latest, state.Step);
        return (state.Step, state.ElapsedSeconds);
    }

    private string SaveCheckpoint(
        CheckpointStore store, MimClassificationNetwork network, OptimizerHelper optimizer, long step, double elapsed, string runDirectory, StepCsv metrics, StepCsv validations)
    {
        var folder = store.Save(network, optimizer, new CheckpointState(step, config.Data.Seed, config.ToJson(), elapsed));
        var steps = metrics.Rows.Select(r => r[0]).ToArray();
        CurvePlot.Write(Path.Combine(runDirectory, "loss.png"), $"Classification fine-tuning — {config.Name}", "loss",
        [
            new("cross-entropy", steps, metrics.Rows.Select(r => r[2]).ToArray()),
        ]);
        var validationSteps = validations.Rows.Select(r => r[0]).ToArray();
        CurvePlot.Write(Path.Combine(runDirectory, "validation.png"), $"Validation — {config.Name}", "AUC / accuracy",
        [
            new("AUC", validationSteps, validations.Rows.Select(r => r[1]).ToArray()),
            new("accuracy", validationSteps, validations.Rows.Select(r => r[2]).ToArray()),
        ]);
        return folder;
    }

    private static (long Step, double Auc, double Accuracy) BestOf(IEnumerable<double[]> rows)
    {
        var best = (Step: 0L, Auc: double.NaN, Accuracy: double.NaN);
        foreach (var row in rows)
        {
            if (Beats(row[1], row[2], best.Auc, best.Accuracy))
            {
                best = ((long)row[0], row[1], row[2]);
            }
        }

        return best;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Classification fine-tuning '{Recipe}' on {TrainingCases} case(s), {ValidationCases} held out, steps {Start}..{Total}, device {Device}")]
    private static partial void LogStart(ILogger logger, string recipe, int trainingCases, int validationCases, long start, long total, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogTransfer(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "Step {Step}: validation case {Case} (class {Class}): p(class 1) {Probability:F4}")]
    private static partial void LogCase(ILogger logger, long step, string @case, int @class, double probability);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Step {Step}: fp16 gradients overflowed; optimiser step skipped and loss scale halved")]
    private static partial void LogOverflowSkipped(ILogger logger, long step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed from {Checkpoint} at step {Step}")]
    private static partial void LogResumed(ILogger logger, string checkpoint, long step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "--resume given but {Folder} holds no checkpoint; starting at step 0")]
    private static partial void LogNothingToResume(ILogger logger, string folder);
}
