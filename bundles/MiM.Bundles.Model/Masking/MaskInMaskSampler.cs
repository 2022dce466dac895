using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Masking;

/// <summary>
/// Turns one level-1 crop into MiM's three levels of masked volumes (MIM_SPEC.md section 2). All randomness
/// comes from the <see cref="StepRandom"/> passed in, so the same (seed, step) gives the same sample.
/// </summary>
public sealed class MaskInMaskSampler
{
    private readonly MimNetworkConfig _network;
    private readonly MaskInMaskConfig _config;
    private readonly MaskInMaskPlanner _planner;

    /// <summary>Checks <paramref name="config"/> against <paramref name="network"/> once, up front.</summary>
    /// <exception cref="ArgumentException">The configuration cannot be sampled.</exception>
    public MaskInMaskSampler(MimNetworkConfig network, MaskInMaskConfig config)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate(network);
        _network = network;
        _config = config;
        _planner = new MaskInMaskPlanner(network, config);
    }

    /// <summary>Samples the three levels from <paramref name="crop"/>, float32 [1, 1, 2S, 2S, 2S] on the CPU.</summary>
    /// <exception cref="ArgumentException">The crop has the wrong shape or type.</exception>
    public MaskInMaskSample Sample(Tensor crop, StepRandom random)
    {
        ArgumentNullException.ThrowIfNull(crop);
        ArgumentNullException.ThrowIfNull(random);
        CheckCrop(crop);
        var plan = _planner.Draw(random);
        var size = _network.InputSize;
        var tokens = _network.TokenCount;
        var cube = new long[] { size, size, size };

        using var scope = torch.NewDisposeScope();

        // Released code: F.interpolate(..., mode='trilinear', align_corners=False) both down (level 1) and up (level 3).
        var level1 = nn.functional.interpolate(crop, cube, mode: InterpolationMode.Trilinear, align_corners: false);
        var level2 = Gather(crop, plan.Level2Regions);
        var patches = Gather(crop, plan.Level3Regions);
        var level3 = nn.functional.interpolate(patches, cube, mode: InterpolationMode.Trilinear, align_corners: false);

        return new MaskInMaskSample
        {
            Level1Input = level1.MoveToOuterDisposeScope(),
            Level1Mask = Mask(plan.Level1Mask, 1, tokens).MoveToOuterDisposeScope(),
            Level2Input = level2.MoveToOuterDisposeScope(),
            Level2Mask = Mask(plan.Level2Masks, plan.Level2Octants.Length, tokens).MoveToOuterDisposeScope(),
            Level3Input = level3.MoveToOuterDisposeScope(),
            Level3Mask = Mask(plan.Level3Masks, plan.Level3ParentVolume.Length, tokens).MoveToOuterDisposeScope(),
            Level2Octants = plan.Level2Octants,
            Level2ParentTokens = plan.Level2ParentTokens,
            Level2MaskGroupTokens = plan.Level2MaskGroupTokens,
            Level2Regions = plan.Level2Regions,
            Level3ParentVolume = plan.Level3ParentVolume,
            Level3ParentToken = plan.Level3ParentToken,
            Level3Regions = plan.Level3Regions,
            LegacyAlignment = _config.LegacyAlignment,
        };
    }

    private void CheckCrop(Tensor crop)
    {
        var edge = 2L * _network.InputSize;
        long[] expected = [1, 1, edge, edge, edge];
        if (!crop.shape.SequenceEqual(expected) || crop.dtype != ScalarType.Float32 || crop.device_type != DeviceType.CPU)
        {
            throw new ArgumentException(
                $"The level-1 crop must be float32 [{string.Join(", ", expected)}] on the CPU, was {crop.dtype} [{string.Join(", ", crop.shape)}] on {crop.device_type}.",
                nameof(crop));
        }
    }

    /// <summary>Copies the given cubes of the crop into one batch [regions, 1, size, size, size].</summary>
    private static Tensor Gather(Tensor crop, CropRegion[] regions) =>
        torch.cat(
            [.. regions.Select(r => crop
                .narrow(2, r.Start2, r.Size)
                .narrow(3, r.Start3, r.Size)
                .narrow(4, r.Start4, r.Size))],
            0);

    private static Tensor Mask(float[] rows, int count, int tokens) =>
        torch.tensor(rows, [count, tokens], ScalarType.Float32);
}
