using System.Text.Json;
using MiM.Bundles.Contracts.Bundles;

namespace ThresholdBundle;

/// <summary>
/// Kinds: "threshold-segmentation" (voxels above network_def.threshold become label 1), "fault-throw", "fault-hang",
/// "fault-oom" (segmentation heads that throw, never return, or throw OutOfMemoryException on a volume whose first
/// voxel is negative — the synthetic warm-up volume is spared), "fault-warmup" (fails its own warm-up), "slow-warmup" (a right head whose warm-up takes a second), "counting-encoder" and
/// "feature-head". A threshold head with <c>network_def.gate</c> (a file path) waits, cancellably, while that file
/// exists before it segments a volume (the warm-up volume too): a test holds a job in inference for as long as it needs.
/// </summary>
public sealed class ThresholdProvider : IBundleProvider
{
    /// <summary>The weights file every kind expects.</summary>
    public const string WeightsFile = "models/threshold.safetensors";

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Kinds { get; } =
        ["threshold-segmentation", "fault-throw", "fault-hang", "fault-oom", "fault-warmup", "slow-warmup", "counting-encoder", "feature-head"];

    /// <inheritdoc/>
    public BundleDescription Describe(BundleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Inference.TryGetProperty("network_def", out var network)
            || !network.TryGetProperty("threshold", out var threshold) || threshold.ValueKind != JsonValueKind.Number)
        {
            return BundleDescription.Failed(new BundleProblem("configs/inference.json", "network_def.threshold", "missing: a number"));
        }

        return new BundleDescription([new ExpectedWeights(WeightsFile, [new TensorSpec("threshold", [1])])], []);
    }

    /// <inheritdoc/>
    public IBundle Load(BundleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var network = context.Inference.GetProperty("network_def");
        var threshold = (float)network.GetProperty("threshold").GetDouble();
        var gate = network.TryGetProperty("gate", out var path) ? path.GetString() : null;
        return context.Kind switch
        {
            "threshold-segmentation" => new ThresholdSegmenter(threshold, Fault.None, gate),
            "fault-throw" => new ThresholdSegmenter(threshold, Fault.Throw),
            "fault-hang" => new ThresholdSegmenter(threshold, Fault.Hang),
            "fault-oom" => new ThresholdSegmenter(threshold, Fault.OutOfMemory),
            "fault-warmup" => new ThresholdSegmenter(threshold, Fault.WarmUp),
            "slow-warmup" => new ThresholdSegmenter(threshold, Fault.SlowWarmUp),
            "counting-encoder" => new CountingEncoder(context.Id, context.Version),
            "feature-head" => new FeatureHead(),
            _ => throw new BundleLoadException($"unknown kind {context.Kind}"),
        };
    }
}
