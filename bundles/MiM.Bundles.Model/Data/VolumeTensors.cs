using MiM.Bundles.Contracts.Imaging;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Data;

/// <summary>
/// Volumes and label maps as tensors indexed [i, j, k] (the layout <see cref="Inference.SegmentationPredictor"/> and
/// <see cref="PostProcessing.ArgmaxLabels"/> use), so training crops, validation and inference agree on the axes.
/// </summary>
public static class VolumeTensors
{
    /// <summary>The intensities as a float32 [I, J, K] tensor (a copy).</summary>
    public static Tensor Image(Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var size = volume.Size;
        using var kji = tensor(volume.Voxels, [size.K, size.J, size.I]);
        using var ijk = kji.permute(2, 1, 0);
        return ijk.contiguous();
    }

    /// <summary>The labels as an int64 [I, J, K] tensor (a copy).</summary>
    public static Tensor Labels(LabelMap labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var size = labels.Size;
        var values = Array.ConvertAll(labels.Voxels, v => (long)v);
        using var kji = tensor(values, [size.K, size.J, size.I]);
        using var ijk = kji.permute(2, 1, 0);
        return ijk.contiguous();
    }
}
