using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;

namespace ThresholdBundle;

/// <summary>
/// Label 1 where the voxel exceeds the threshold; misbehaves as told on volumes whose first voxel is negative; waits
/// while the <paramref name="gate"/> file exists.
/// </summary>
internal sealed class ThresholdSegmenter(float threshold, Fault fault, string? gate = null) : ISegmentationBundle
{
    public IReadOnlyList<SegmentDescription> Segments { get; } =
    [
        new(1, "bright", CodedConcept.Snomed("123037004", "Anatomical Structure"), CodedConcept.Snomed("39607008", "Lung"), new RgbColour(255, 0, 0)),
    ];

    public BundleMemory EstimateMemory(GridSize input) => new(0, input.VoxelCount * sizeof(ushort));

    public Task WarmUpAsync(CancellationToken cancellationToken) => fault switch
    {
        Fault.WarmUp => throw new InvalidOperationException("the test plugin fails its warm-up on purpose"),
        Fault.SlowWarmUp => Task.Delay(TimeSpan.FromSeconds(1), cancellationToken),
        _ => Task.CompletedTask,
    };

    public async Task<LabelMap> SegmentAsync(BundleInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        while (gate is not null && File.Exists(gate))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }

        if (fault is not (Fault.None or Fault.WarmUp or Fault.SlowWarmUp) && input.Volume.Voxels[0] < 0)
        {
            switch (fault)
            {
                case Fault.Throw:
                    throw new InvalidOperationException("the test plugin fails this job on purpose");
                case Fault.OutOfMemory:
                    throw new OutOfMemoryException("the test plugin pretends the device is out of memory");
                default:
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        var labels = new ushort[input.Volume.Voxels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = input.Volume.Voxels[i] > threshold ? (ushort)1 : (ushort)0;
        }

        return new LabelMap(input.Volume.Geometry, labels);
    }

    public void Dispose()
    {
    }
}
