using MiM.Bundles.Model.Data;
using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Randomness;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training;

/// <summary>
/// The MiM loss of a network on a fixed set of samples (crop and masks of given steps), without training.
/// Comparing two weight sets on the same samples shows learning; a single run's per-step loss mostly shows
/// how much of each crop is air.
/// </summary>
public static class PretrainEvaluator
{
    /// <summary>The mean loss terms over the samples of <paramref name="steps"/>.</summary>
    public static LossBreakdown MeanLoss(MimPretrainNetwork network, PretrainConfig config, PretrainDatasetSource source, IEnumerable<long> steps)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(steps);
        var sampler = new MaskInMaskSampler(config.Network, config.Masking);
        var objective = new MimPretrainObjective(network, config.Loss, config.Masking.LegacyAlignment);
        var device = network.parameters().First().device;
        var parts = new List<LossBreakdown>();
        network.eval();
        using var noGrad = no_grad();
        foreach (var step in steps)
        {
            using var scope = NewDisposeScope();
            var crop = PretrainCropLoader.CropForStep(source, config.CropSize, config.Data.Seed, step);
            using var sample = sampler.Sample(crop.ToTensor(), new StepRandom(config.Data.Seed, step, RandomPurpose.Masking)).MoveTo(device);
            parts.Add(objective.Compute(sample, progress: 1).Parts);
        }

        return LossBreakdown.Mean(parts);
    }
}
