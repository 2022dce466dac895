using MiM.Bundles.Model.Masking;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training;

/// <summary>Moves or converts a sample (made on the CPU by the sampler) for the training device and precision.</summary>
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

        var moved = sample.Convert(t => t.to(device));
        sample.Dispose();
        return moved;
    }

    /// <summary>A copy whose six tensors (inputs and masks of the three levels) are <paramref name="convert"/>ed; the rest is shared.</summary>
    public static MaskInMaskSample Convert(this MaskInMaskSample sample, Func<Tensor, Tensor> convert)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(convert);
        return sample with
        {
            Level1Input = convert(sample.Level1Input),
            Level1Mask = convert(sample.Level1Mask),
            Level2Input = convert(sample.Level2Input),
            Level2Mask = convert(sample.Level2Mask),
            Level3Input = convert(sample.Level3Input),
            Level3Mask = convert(sample.Level3Mask),
        };
    }
}
