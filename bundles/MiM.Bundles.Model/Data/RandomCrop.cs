using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms.Grids;
using MiM.Bundles.Model.Randomness;

namespace MiM.Bundles.Model.Data;

/// <summary>One cubic crop at a uniformly random valid position.</summary>
public static class RandomCrop
{
    /// <summary>
    /// Copies a <paramref name="cropSize"/>³ block (i fastest) out of <paramref name="volume"/>. The offset along
    /// i, then j, then k is drawn uniformly from [0, size − cropSize] with <paramref name="random"/>, so the same
    /// stream always gives the same crop.
    /// </summary>
    /// <exception cref="ArgumentException">The volume is smaller than the crop along some axis.</exception>
    public static float[] Crop(PreparedVolume volume, int cropSize, StepRandom random, out (int I, int J, int K) offset)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cropSize);
        if (volume.SizeI < cropSize || volume.SizeJ < cropSize || volume.SizeK < cropSize)
        {
            throw new ArgumentException(
                $"A {volume.SizeI}x{volume.SizeJ}x{volume.SizeK} volume is smaller than the {cropSize}³ crop; pad it first.", nameof(volume));
        }

        offset = (random.NextInt(volume.SizeI - cropSize + 1), random.NextInt(volume.SizeJ - cropSize + 1), random.NextInt(volume.SizeK - cropSize + 1));
        return Extract(volume, cropSize, offset);
    }

    /// <summary>Copies the <paramref name="cropSize"/>³ block starting at <paramref name="offset"/>.</summary>
    internal static float[] Extract(PreparedVolume volume, int cropSize, (int I, int J, int K) offset) =>
        GridRegion.Copy(volume.Voxels, new GridSize(volume.SizeI, volume.SizeJ, volume.SizeK), offset, new GridSize(cropSize, cropSize, cropSize), 0f);
}
