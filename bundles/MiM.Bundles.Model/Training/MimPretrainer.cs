using System.Diagnostics;
using System.Globalization;
using MiM.Bundles.Model.Data;
using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Numerics;
using MiM.Bundles.Model.Randomness;
using MiM.Bundles.Model.Training.Checkpoints;
using MiM.Bundles.Model.Training.Parallel;
using MiM.Bundles.Model.Training.Precision;
using MiM.Bundles.Model.Training.Reporting;
using MiM.Bundles.Model.Weights;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training;

/// <summary>
/// The MiM pre-training loop: background-loaded crops → mask-in-mask samples → three-level reconstruction and
/// alignment → AdamW with warm-up cosine, gradient accumulation, checkpoints, metrics and resume. With several devices
/// ("cuda:0,1") each step's level-2 children are split across them (<see cref="DataParallelObjective"/>), gradients are
/// reduced into the master on the first device, and the master's weights are broadcast back after each step.
/// </summary>
public sealed partial class MimPretrainer(PretrainConfig config, ILogger logger)
{
    /// <summary>Final weights file name in the run folder.</summary>
    public const string FinalWeightsFile = "model.safetensors";

    /// <summary>Network configuration written next to the final weights, read by `mim features`.</summary>
    public const string FinalConfigFile = "model.json";

    /// <summary>Runs (or, with <paramref name="resume"/>, continues) the recipe.</summary>
    /// <exception cref="NonFiniteLossException">A loss became NaN or infinite; the last good checkpoint is kept.</exception>
    /// <exception cref="InvalidOperationException">The run folder already holds checkpoints and <paramref name="resume"/> is false.</exception>
    public PretrainResult Run(bool resume, IProgress<PretrainProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (config.Threads > 0)
        {
            torch.set_num_threads(config.Threads);
        }

        var devices = TrainingDevice.ParseList(config.Device);
        var device = devices[0];
        if (devices.Any(d => d.type == DeviceType.CPU))
        {
            // Refuse before any work when libtorch's CPU kernels are wrong here and no path the model has is right.
            CpuKernelGuard.EnsurePassed();
        }

        var runDirectory = Directory.CreateDirectory(config.Output.Directory).FullName;
        var seed = config.Data.Seed;
        torch.manual_seed(unchecked((long)seed));
        using var network = new MimPretrainNetwork(config.Network);
        network.to(device);
        using var optimizer = AdamWFactory.Create(network, config.Optimizer);
        var store = new CheckpointStore(runDirectory, config.Output.KeepCheckpoints);
        var (startStep, elapsedBefore) = Restore(store, network, optimizer, resume);

        var accumulation = config.Optimizer.AccumulationSteps;
        var totalSteps = config.Optimizer.TotalSteps;
        var schedule = new WarmupCosineSchedule(
            config.Optimizer.LearningRate, config.Optimizer.MinLearningRate, config.Optimizer.WarmupSteps, totalSteps);
        var source = PretrainDatasetSource.Open(config.Data.Source);
        var deviceName = string.Join(",", devices.Select(d => d.ToString()));
        LogStart(logger, config.Name, source.Files.Count, startStep, totalSteps, deviceName);
        using var metrics = new MetricsCsv(Path.Combine(runDirectory, "metrics.csv"), startStep);
        using var loader = new PretrainCropLoader(
            source, config.CropSize, seed, startStep * accumulation, config.Data.Prefetch, logger);
        var sampler = new MaskInMaskSampler(config.Network, config.Masking);
        using var precision = new TrainingPrecision<MimPretrainNetwork>(
            config.Precision, network, () => new MimPretrainNetwork(config.Network), device, devices.Count);
        var objective = new MimPretrainObjective(precision.ComputeNetwork, config.Loss, config.Masking.LegacyAlignment);

        network.train();
        using var replicas = devices.Count > 1 ? new ReplicaSet(network, devices) : null;
        var parallel = replicas is null ? null : new DataParallelObjective(replicas, config.Loss, config.Masking.LegacyAlignment);
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
            var parts = new List<LossBreakdown>(accumulation);
            precision.BeginStep();
            for (var micro = 0; micro < accumulation; micro++)
            {
                using var scope = NewDisposeScope();
                // Cancellation is honoured between steps, so a step is either complete or not taken at all.
                var crop = loader.Next(CancellationToken.None);
                using var cropTensor = crop.ToTensor();
                // The data-parallel objective moves each shard to its own device itself.
                using var sample = precision.Prepare(
                    sampler.Sample(cropTensor, new StepRandom(seed, crop.Step, RandomPurpose.Masking)).MoveTo(parallel is null ? device : CPU));
                Tensor? loss = null;
                LossBreakdown breakdown;
                if (parallel is null)
                {
                    (loss, breakdown) = objective.Compute(sample, (double)step / totalSteps);
                }
                else
                {
                    // Backward runs on every device inside; gradients are reduced after the micro-batches.
                    breakdown = parallel.ComputeAndBackward(sample, (double)step / totalSteps, 1.0 / accumulation);
                }

                if (!breakdown.IsFinite)
                {
                    var terms = string.Create(
                        CultureInfo.InvariantCulture,
                        $"total {breakdown.Total}, L1 {breakdown.Level1}, L2 {breakdown.Level2}, L3 {breakdown.Level3}, A12 {breakdown.Align12}, A23 {breakdown.Align23}");
                    throw new NonFiniteLossException(
                        $"Step {step + 1}: the loss is not finite ({terms}) on a crop of '{crop.SourcePath}'. "
                        + $"No weights were updated; the last good checkpoint is {store.Latest() ?? "none (the run had not written one yet)"}. "
                        + "Lower optimizer.learningRate or check that input.");
                }

                if (loss is not null)
                {
                    using var steps = ((long)accumulation).ToScalar();
                    precision.Backward(loss.div(steps));
                }

                parts.Add(breakdown);
            }

            replicas?.ReduceGradients();
            if (!precision.StepOptimizer(optimizer))
            {
                LogOverflowSkipped(logger, step + 1);
            }

            replicas?.ZeroGrad();
            replicas?.Broadcast();
            step++;

            var stepSeconds = stepClock.Elapsed.TotalSeconds;
            var row = new MetricsRow(step, learningRate, LossBreakdown.Mean(parts), stepSeconds, clock.ElapsedSeconds);
            metrics.Append(row);
            string? written = null;
            if (step % config.Output.CheckpointEvery == 0 || step == totalSteps)
            {
                written = SaveCheckpoint(store, network, optimizer, step, clock.ElapsedSeconds, runDirectory, metrics);
            }

            if (progress is not null && (step % config.Output.LogEvery == 0 || step == totalSteps || written is not null))
            {
                progress.Report(new PretrainProgress(
                    step, totalSteps, row.Loss, learningRate, clock.StepsPerSecond(step), clock.Eta(step), written));
            }
        }

        if (cancelled && step > startStep && step % config.Output.CheckpointEvery != 0)
        {
            SaveCheckpoint(store, network, optimizer, step, clock.ElapsedSeconds, runDirectory, metrics);
        }

        var finalWeights = Path.Combine(runDirectory, FinalWeightsFile);
        if (!cancelled)
        {
            MimWeights.Save(network, finalWeights);
            File.WriteAllText(Path.Combine(runDirectory, FinalConfigFile), System.Text.Json.JsonSerializer.Serialize(config.Network, PretrainConfig.JsonOptions));
        }

        return new PretrainResult(step, finalWeights, metrics.Path, loader.SkippedFiles, cancelled);
    }

    private (long Step, double Elapsed) Restore(CheckpointStore store, MimPretrainNetwork network, OptimizerHelper optimizer, bool resume)
    {
        var latest = store.StartingPoint(resume, config.Output.Directory);
        if (latest is null)
        {
            if (resume)
            {
                LogNothingToResume(logger, store.Directory);
            }

            return (0, 0);
        }

        var saved = PretrainConfig.FromJson(CheckpointStore.ReadState(latest).ConfigJson);
        // Records compare lists by reference; the JSON form compares the sizes themselves.
        if (System.Text.Json.JsonSerializer.Serialize(saved.Network) != System.Text.Json.JsonSerializer.Serialize(config.Network))
        {
            throw new InvalidOperationException(
                $"Checkpoint {latest} was trained with a different network configuration than '{config.Name}'.");
        }

        var state = CheckpointStore.Load(latest, network, optimizer);
        LogResumed(logger, latest, state.Step);
        return (state.Step, state.ElapsedSeconds);
    }

    private string SaveCheckpoint(
        CheckpointStore store, MimPretrainNetwork network, OptimizerHelper optimizer, long step, double elapsed, string runDirectory, MetricsCsv metrics)
    {
        // The state dict and optimizer state are read through tensors that are disposed here, not by the finalizer.
        using var scope = NewDisposeScope();
        var folder = store.Save(network, optimizer, new CheckpointState(step, config.Data.Seed, config.ToJson(), elapsed));
        LossCurvePlot.Write(Path.Combine(runDirectory, "loss.png"), metrics.Rows, $"MiM pre-training — {config.Name}");
        return folder;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pre-training '{Recipe}' on {FileCount} volume(s), steps {Start}..{Total}, device {Device}")]
    private static partial void LogStart(ILogger logger, string recipe, int fileCount, long start, long total, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Step {Step}: fp16 gradients overflowed; optimiser step skipped and loss scale halved")]
    private static partial void LogOverflowSkipped(ILogger logger, long step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed from {Checkpoint} at step {Step}")]
    private static partial void LogResumed(ILogger logger, string checkpoint, long step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "--resume given but {Folder} holds no checkpoint; starting at step 0")]
    private static partial void LogNothingToResume(ILogger logger, string folder);
}
