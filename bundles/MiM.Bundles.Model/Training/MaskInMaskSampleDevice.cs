using MiM.Bundles.Model.Masking;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training;

/// <summary>Moves a sample (made on the CPU by the sampler) to the training device.</summary>
public static class MaskInMaskSampleDevice
{
    /// <summary>
    /// The sample on <paramref name="device"/>. On the CPU it is returned as is; otherwise a moved copy is returned and
    /// the CPU tensors are disposed, so the caller owns exactly one sample either way.
    /// </summary>
    public static MaskInMaskSample MoveTo(this MaskInMaskSample sample, Device device)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(device);
        if (device.type == DeviceType.CPU)
        {
            return sample;
        }

        var moved = sample with
        {
            Level1Input = sample.Level1Input.to(device),
            Level1Mask = sample.Level1Mask.to(device),
            Level2Input = sample.Level2Input.to(device),
            Level2Mask = sample.Level2Mask.to(device),
            Level3Input = sample.Level3Input.to(device),
            Level3Mask = sample.Level3Mask.to(device),
        };
        sample.Dispose();
        return moved;
    }
}
