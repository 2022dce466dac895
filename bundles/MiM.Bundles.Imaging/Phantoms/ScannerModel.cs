namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// What the scanner does to the ideal image: a separable Gaussian blur (the point spread function; its
/// width differs in-plane and along z) followed by Gaussian noise, clamped to the 12-bit CT range. The
/// noise at a voxel is a hash of the seed and the voxel's index, so it does not depend on thread scheduling.
/// </summary>
internal sealed class ScannerModel
{
    private const float MinimumHu = -1024;
    private const float MaximumHu = 3071;
    private readonly ulong noiseKey;

    /// <summary>Draws case <paramref name="seed"/>'s blur widths and noise level for a <paramref name="size"/>³ grid.</summary>
    public ScannerModel(int seed, int size)
    {
        var rng = SplitMix64.ForStream(seed, PhantomStream.Scanner);

        // The point spread is a property of the scanner in mm: 0.5-1 voxel of a 128³ grid, fewer voxels
        // of a coarser grid (but never so few that edges alias).
        var voxels = size / 128.0;
        InPlaneSigma = Math.Max(0.35, rng.Uniform(0.5, 1.0) * voxels);
        SliceSigma = Math.Max(0.3, rng.Uniform(0.4, 0.9) * voxels);
        NoiseSigma = rng.Uniform(8, 25);
        noiseKey = SplitMix64.ForStream(seed, PhantomStream.Noise).NextUInt64();
    }

    /// <summary>Blur standard deviation in-plane, in voxels.</summary>
    public double InPlaneSigma { get; }

    /// <summary>Blur standard deviation along z, in voxels.</summary>
    public double SliceSigma { get; }

    /// <summary>Noise standard deviation in HU.</summary>
    public double NoiseSigma { get; }

    /// <summary>Blurs, adds noise to and clamps the cubic <paramref name="image"/> of <paramref name="size"/>³ voxels in place.</summary>
    public void Apply(float[] image, int size, ParallelOptions options)
    {
        var scratch = new float[image.Length];
        var inPlane = Kernel(InPlaneSigma);
        var slice = Kernel(SliceSigma);
        Blur(image, scratch, size, 1, inPlane, options);
        Blur(scratch, image, size, size, inPlane, options);
        Blur(image, scratch, size, size * size, slice, options);

        var plane = size * size;
        var sigma = (float)NoiseSigma;
        Parallel.For(0, size, options, k =>
        {
            for (var n = k * plane; n < (k + 1) * plane; n++)
            {
                image[n] = Math.Clamp(scratch[n] + (sigma * StandardNormal(noiseKey, n)), MinimumHu, MaximumHu);
            }
        });
    }

    /// <summary>
    /// An approximately standard normal value from the voxel's hash: the centred sum of eight 16-bit uniforms.
    /// Integer hashing and float sums keep it bit-identical on every machine.
    /// </summary>
    internal static float StandardNormal(ulong key, long index)
    {
        var first = SplitMix64.Mix(key ^ ((ulong)index * 0x9E3779B97F4A7C15UL));
        var second = SplitMix64.Mix(first ^ 0xD6E8FEB86659FD93UL);
        long sum = 0;
        for (var shift = 0; shift < 64; shift += 16)
        {
            sum += (long)((first >> shift) & 0xFFFF) + (long)((second >> shift) & 0xFFFF);
        }

        // Eight U(0,1) have mean 4 and variance 8/12.
        const float Scale = 1.2247449f / 65536f;
        return ((sum + 4) - (8 * 32768L)) * Scale;
    }

    private static float[] Kernel(double sigma)
    {
        var radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var weights = new float[(2 * radius) + 1];
        double total = 0;
        for (var n = -radius; n <= radius; n++)
        {
            total += Math.Exp(-0.5 * n * n / (sigma * sigma));
        }

        for (var n = -radius; n <= radius; n++)
        {
            weights[n + radius] = (float)(Math.Exp(-0.5 * n * n / (sigma * sigma)) / total);
        }

        return weights;
    }

    /// <summary>One 1D pass along the axis whose neighbours are <paramref name="stride"/> apart; edges are clamped.</summary>
    private static void Blur(float[] source, float[] target, int size, int stride, float[] kernel, ParallelOptions options)
    {
        var radius = kernel.Length / 2;
        var axisOf = stride == 1 ? 0 : stride == size ? 1 : 2;
        Parallel.For(0, size, options, outer =>
        {
            // For the z pass parallelise over rows j, so that threads never share a target voxel.
            for (var middle = 0; middle < size; middle++)
            {
                for (var inner = 0; inner < size; inner++)
                {
                    var (i, j, k) = axisOf == 2 ? (inner, outer, middle) : (inner, middle, outer);
                    var position = axisOf switch { 0 => i, 1 => j, _ => k };
                    var index = i + (size * (j + (size * k)));
                    float sum = 0;
                    for (var t = -radius; t <= radius; t++)
                    {
                        var p = Math.Clamp(position + t, 0, size - 1);
                        sum += kernel[t + radius] * source[index + ((p - position) * stride)];
                    }

                    target[index] = sum;
                }
            }
        });
    }
}
