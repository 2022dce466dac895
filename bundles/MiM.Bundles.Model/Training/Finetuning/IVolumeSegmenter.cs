using MiM.Bundles.Model.Networks.Downstream;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Finetuning;

/// <summary>Class logits of a whole volume from a network that takes ROI-sized windows (sliding-window inference).</summary>
public interface IVolumeSegmenter
{
    /// <summary>Logits [1, classes, D, H, W] for <paramref name="image"/> [1, 1, D, H, W], in eval mode without gradients.</summary>
    Tensor Logits(MimSegmentationNetwork network, Tensor image);
}
