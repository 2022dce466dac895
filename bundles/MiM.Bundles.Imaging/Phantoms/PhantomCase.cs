using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>One synthetic abdominal CT case: the image in HU, its ground-truth labels and the seed that made both.</summary>
/// <param name="Image">The simulated CT in Hounsfield units (blurred and noisy, clamped to [-1024, 3071]).</param>
/// <param name="Labels">
/// The clean anatomy, values as in <see cref="PhantomLabels.All"/>, plus <see cref="PhantomLabels.LiverLesion"/> where a
/// lesion replaces liver; same geometry as the image.
/// </param>
/// <param name="Seed">The seed that reproduces this case bit for bit (with the same lesion fraction).</param>
public sealed record PhantomCase(Volume Image, LabelMap Labels, int Seed)
{
    /// <summary>Liver lesions painted into this case (0 for none).</summary>
    public int Lesions { get; init; }

    /// <summary>True when the case has at least one liver lesion (and so label <see cref="PhantomLabels.LiverLesion"/> voxels).</summary>
    public bool HasLesion => Lesions > 0;
}
