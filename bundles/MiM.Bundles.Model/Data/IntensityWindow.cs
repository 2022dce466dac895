using MiM.Bundles.Imaging.Transforms.Intensity;

namespace MiM.Bundles.Model.Data;

/// <summary>Clips intensities to a window and scales it linearly to [0, 1] (MONAI's ScaleIntensityRanged with clip).</summary>
public static class IntensityWindow
{
    /// <summary>
    /// Maps <paramref name="min"/> and below to 0, <paramref name="max"/> and above to 1, linearly between, in place.
    /// NaN becomes 0 (the value of air in a CT window), so one bad voxel cannot poison a whole loss.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="max"/> is not above <paramref name="min"/>.</exception>
    public static void ClipAndScale(Span<float> voxels, float min, float max)
    {
        if (!(max > min))
        {
            throw new ArgumentException($"The window's upper bound ({max}) must exceed its lower bound ({min}).", nameof(max));
        }

        new ScaleIntensityRangeTransform(min, max, 0f, 1f, clip: true).Scale(voxels);
    }
}
