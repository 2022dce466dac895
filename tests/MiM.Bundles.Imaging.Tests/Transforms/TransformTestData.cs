using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms;

namespace MiM.Bundles.Imaging.Tests.Transforms;

/// <summary>Small grids whose voxel values say where they came from, and helpers to check physical positions.</summary>
internal static class TransformTestData
{
    public static readonly Direction3D Coronal = new(new(1, 0, 0), new(0, 0, -1), new(0, 1, 0));

    public static VolumeGeometry Geometry(GridSize size, Direction3D? direction = null, Vector3D? spacing = null) =>
        new(size, new Vector3D(-12.5, 30.25, 7.0), spacing ?? new Vector3D(0.8, 0.9, 2.0), direction ?? Direction3D.Identity);

    /// <summary>A volume whose voxel value is its buffer offset: every output value names its source voxel.</summary>
    public static Volume Indexed(GridSize size, Direction3D? direction = null, Vector3D? spacing = null)
    {
        var geometry = Geometry(size, direction, spacing);
        return new Volume(geometry, [.. Enumerable.Range(0, (int)size.VoxelCount).Select(n => (float)n)]);
    }

    /// <summary>A volume holding a linear function of the voxel index, which trilinear interpolation reproduces exactly.</summary>
    public static Volume Linear(VolumeGeometry geometry)
    {
        var volume = Volume.Zeros(geometry);
        for (var k = 0; k < geometry.Size.K; k++)
        {
            for (var j = 0; j < geometry.Size.J; j++)
            {
                for (var i = 0; i < geometry.Size.I; i++)
                {
                    volume[i, j, k] = LinearValue(i, j, k);
                }
            }
        }

        return volume;
    }

    public static float LinearValue(double i, double j, double k) => (float)(i + (10 * j) + (100 * k));

    /// <summary>A label map with a few distinct values scattered deterministically.</summary>
    public static LabelMap ScatteredLabels(VolumeGeometry geometry, ushort[] values)
    {
        var labels = LabelMap.Empty(geometry);
        for (var n = 0; n < labels.Voxels.Length; n++)
        {
            labels.Voxels[n] = values[(int)((n * 7919L) % 13) % values.Length];
        }

        return labels;
    }

    public static TransformContext Context(ulong seed = 1, long sample = 0, int transform = 0, int threads = -1) =>
        new(new TransformRandom(seed, sample, transform, 0), new ParallelOptions { MaxDegreeOfParallelism = threads });

    /// <summary>Asserts every voxel of <paramref name="output"/> holds the source value at the same physical position.</summary>
    public static void AssertVoxelsKeepPositions<T>(VoxelGrid<T> source, VoxelGrid<T> output)
        where T : unmanaged
    {
        var size = output.Size;
        for (var k = 0; k < size.K; k++)
        {
            for (var j = 0; j < size.J; j++)
            {
                for (var i = 0; i < size.I; i++)
                {
                    var index = source.Geometry.PhysicalToIndex(output.Geometry.IndexToPhysical(i, j, k));
                    var (si, sj, sk) = ((int)Math.Round(index.X), (int)Math.Round(index.Y), (int)Math.Round(index.Z));
                    Assert.True(Math.Abs(index.X - si) < 1e-9 && Math.Abs(index.Y - sj) < 1e-9 && Math.Abs(index.Z - sk) < 1e-9, $"voxel ({i},{j},{k}) lies between source voxels: {index}");
                    Assert.Equal(source[si, sj, sk], output[i, j, k]);
                }
            }
        }
    }
}
