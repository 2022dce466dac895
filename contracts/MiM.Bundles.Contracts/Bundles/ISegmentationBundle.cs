using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;

namespace MiM.Bundles.Contracts.Bundles;

/// <summary>A segmentation head: a volume (and its shared features) in, a label map on the volume's grid out.</summary>
public interface ISegmentationBundle : IBundle
{
    /// <summary>What each label value means (every value the head can produce except background 0).</summary>
    IReadOnlyList<SegmentDescription> Segments { get; }

    /// <summary>Segments one series; the label map has the geometry of <see cref="BundleInput.Volume"/>.</summary>
    Task<LabelMap> SegmentAsync(BundleInput input, CancellationToken cancellationToken);
}
