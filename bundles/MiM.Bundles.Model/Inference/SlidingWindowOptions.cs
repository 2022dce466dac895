namespace MiM.Bundles.Model.Inference;

/// <summary>Sliding-window inference settings, as MONAI's <c>sliding_window_inference</c> names them.</summary>
/// <param name="Roi">Window edge (windows are Roi³).</param>
/// <param name="Overlap">Fraction of a window shared with its neighbour along each axis, in [0, 1).</param>
/// <param name="BatchSize">Windows per forward pass (sw_batch_size).</param>
/// <param name="SigmaScale">Gaussian importance sigma as a fraction of the window edge (MONAI's 0.125).</param>
public sealed record SlidingWindowOptions(int Roi, double Overlap = 0.5, int BatchSize = 2, double SigmaScale = 0.125)
{
    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Roi <= 0 || BatchSize <= 0 || Overlap is < 0 or >= 1 || SigmaScale <= 0)
        {
            throw new ArgumentException(
                $"Invalid sliding window: ROI {Roi} and batch {BatchSize} must be positive, overlap {Overlap} in [0, 1), sigma scale {SigmaScale} positive.");
        }
    }
}
