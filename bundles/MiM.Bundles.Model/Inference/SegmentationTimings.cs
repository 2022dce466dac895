namespace MiM.Bundles.Model.Inference;

/// <summary>
/// Where the time of one <see cref="VolumeSegmenter.Segment(MiM.Bundles.Contracts.Imaging.Volume, SegmentationTimings?)"/>
/// went, part by part (`mim infer` prints it). On a GPU the network's passes run asynchronously, so part of their time
/// shows under <see cref="Blending"/>.
/// </summary>
public sealed class SegmentationTimings
{
    /// <summary>The inference transforms: reorientation, resampling, intensity window, crop.</summary>
    public TimeSpan Transforms { get; internal set; }

    /// <summary>Windows the network ran on.</summary>
    public int Windows { get; internal set; }

    /// <summary>The network's forward passes over every window.</summary>
    public TimeSpan Network { get; internal set; }

    /// <summary>The sliding window's own work: padding, window crops, Gaussian-weighted blending, normalisation.</summary>
    public TimeSpan Blending { get; internal set; }

    /// <summary>Softmax over the classes and argmax to labels.</summary>
    public TimeSpan Labels { get; internal set; }

    /// <summary>The inverse transforms back to the source grid (nearest neighbour).</summary>
    public TimeSpan BackToSource { get; internal set; }

    /// <summary>Keep-largest-component post-processing (zero when it is off).</summary>
    public TimeSpan KeepLargest { get; internal set; }
}
