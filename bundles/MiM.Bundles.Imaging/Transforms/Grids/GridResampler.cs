using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Transforms.Grids;

/// <summary>
/// Resamples a grid onto another geometry by physical position: each target voxel centre is mapped to a (fractional)
/// source index and interpolated there. Works for any pair of geometries, oblique ones included.
/// </summary>
/// <remarks>
/// Target slices are computed in parallel, but every voxel is a pure function of its own index, so the result is
/// bit-identical whatever the degree of parallelism. Source indices within 1e-6 of a whole number are snapped to it, so
/// a voxel whose centre falls exactly on a source centre copies that source value exactly (no 1e-16 blending).
/// </remarks>
public static class GridResampler
{
    private const double SnapTolerance = 1e-6;

    /// <summary>Resamples an intensity grid with <paramref name="interpolation"/>.</summary>
    public static float[] Resample(
        float[] source,
        VolumeGeometry sourceGeometry,
        VolumeGeometry target,
        Interpolation interpolation,
        OutsidePolicy outside,
        float fill = 0f,
        ParallelOptions? parallel = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sourceGeometry);
        return interpolation == Interpolation.Nearest
            ? ResampleNearest(source, sourceGeometry, target, outside, fill, parallel)
            : Run(new TrilinearSampler(source, sourceGeometry.Size), source, sourceGeometry, target, outside, fill, parallel);
    }

    /// <summary>Resamples any voxel type by nearest neighbour (labels: no value appears that was not in the source).</summary>
    public static T[] ResampleNearest<T>(
        T[] source,
        VolumeGeometry sourceGeometry,
        VolumeGeometry target,
        OutsidePolicy outside,
        T fill = default,
        ParallelOptions? parallel = null)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sourceGeometry);
        return Run(new NearestSampler<T>(source, sourceGeometry.Size), source, sourceGeometry, target, outside, fill, parallel);
    }

    // The sampler is a struct type argument, so the JIT compiles one loop per kind with the sampling inlined.
    private static T[] Run<T, TSampler>(
        TSampler sampler, T[] source, VolumeGeometry sourceGeometry, VolumeGeometry target, OutsidePolicy outside, T fill, ParallelOptions? parallel)
        where T : unmanaged
        where TSampler : struct, IVoxelSampler<T>
    {
        var map = IndexMap.Between(sourceGeometry, target, source.LongLength);
        var output = new T[target.Size.VoxelCount];
        Parallel.For(0, target.Size.K, parallel ?? new ParallelOptions(), k =>
        {
            var o = target.Size.Offset(0, 0, k);
            for (var j = 0; j < target.Size.J; j++)
            {
                for (var i = 0; i < target.Size.I; i++, o++)
                {
                    var (x, y, z) = map.SourceIndex(i, j, k);
                    output[o] = map.IsOutside(x, y, z, outside) ? fill : sampler.Sample(x, y, z);
                }
            }
        });
        return output;
    }

    private static (int Low, int High, double Weight) Corners(double x, int count)
    {
        var clamped = Math.Clamp(x, 0, count - 1);
        var low = (int)Math.Floor(clamped);
        var high = Math.Min(low + 1, count - 1);
        return (low, high, clamped - low);
    }

    private interface IVoxelSampler<out T>
    {
        T Sample(double x, double y, double z);
    }

    private readonly struct NearestSampler<T>(T[] source, GridSize size) : IVoxelSampler<T>
        where T : unmanaged
    {
        public T Sample(double x, double y, double z) => source[size.Offset(Nearest(x, size.I), Nearest(y, size.J), Nearest(z, size.K))];

        // Half-way points round up (floor(x + 0.5)), the same on every platform.
        private static int Nearest(double x, int count) => Math.Clamp((int)Math.Floor(x + 0.5), 0, count - 1);
    }

    private readonly struct TrilinearSampler(float[] source, GridSize size) : IVoxelSampler<float>
    {
        public float Sample(double x, double y, double z)
        {
            var (i0, i1, wx) = Corners(x, size.I);
            var (j0, j1, wy) = Corners(y, size.J);
            var (k0, k1, wz) = Corners(z, size.K);

            // Successive lerps a + (b − a)·w: a weight of exactly 0 returns a unchanged, which keeps 1:1 voxels exact.
            var c00 = Lerp(source[size.Offset(i0, j0, k0)], source[size.Offset(i1, j0, k0)], wx);
            var c10 = Lerp(source[size.Offset(i0, j1, k0)], source[size.Offset(i1, j1, k0)], wx);
            var c01 = Lerp(source[size.Offset(i0, j0, k1)], source[size.Offset(i1, j0, k1)], wx);
            var c11 = Lerp(source[size.Offset(i0, j1, k1)], source[size.Offset(i1, j1, k1)], wx);
            return (float)Lerp(Lerp(c00, c10, wy), Lerp(c01, c11, wy), wz);
        }

        private static double Lerp(double a, double b, double w) => w == 0 ? a : a + ((b - a) * w);
    }

    /// <summary>The affine map from target indices to source indices, precomputed once.</summary>
    private sealed class IndexMap
    {
        private readonly Vector3D origin;
        private readonly Vector3D stepI;
        private readonly Vector3D stepJ;
        private readonly Vector3D stepK;
        private readonly GridSize size;

        private IndexMap(Vector3D origin, Vector3D stepI, Vector3D stepJ, Vector3D stepK, GridSize size)
        {
            this.origin = origin;
            this.stepI = stepI;
            this.stepJ = stepJ;
            this.stepK = stepK;
            this.size = size;
        }

        public static IndexMap Between(VolumeGeometry source, VolumeGeometry target, long sourceLength)
        {
            ArgumentNullException.ThrowIfNull(source);
            ArgumentNullException.ThrowIfNull(target);
            source.Validate();
            target.Validate();
            if (sourceLength != source.Size.VoxelCount)
            {
                throw new ArgumentException($"Buffer holds {sourceLength} voxels but a {source.Size} grid needs {source.Size.VoxelCount}.", nameof(sourceLength));
            }

            var origin = source.PhysicalToIndex(target.Origin);
            return new IndexMap(origin, Column(source, target, 0), Column(source, target, 1), Column(source, target, 2), source.Size);
        }

        // How far one step along target axis <axis> moves in source index units.
        private static Vector3D Column(VolumeGeometry source, VolumeGeometry target, int axis)
        {
            var v = source.Direction.ApplyInverse(target.Direction[axis] * target.Spacing[axis]);
            return new Vector3D(v.X / source.Spacing.X, v.Y / source.Spacing.Y, v.Z / source.Spacing.Z);
        }

        public (double X, double Y, double Z) SourceIndex(int i, int j, int k) =>
            (Snap(origin.X + (i * stepI.X) + (j * stepJ.X) + (k * stepK.X)),
             Snap(origin.Y + (i * stepI.Y) + (j * stepJ.Y) + (k * stepK.Y)),
             Snap(origin.Z + (i * stepI.Z) + (j * stepJ.Z) + (k * stepK.Z)));

        public bool IsOutside(double x, double y, double z, OutsidePolicy policy) =>
            policy == OutsidePolicy.Fill
            && (x < -0.5 || y < -0.5 || z < -0.5 || x > size.I - 0.5 || y > size.J - 0.5 || z > size.K - 0.5);

        private static double Snap(double x)
        {
            var whole = Math.Round(x);
            return Math.Abs(x - whole) < SnapTolerance ? whole : x;
        }
    }
}
