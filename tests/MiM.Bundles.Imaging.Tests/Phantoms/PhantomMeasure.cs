using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Tests.Phantoms;

/// <summary>Measurements the phantom tests make on a label map and image.</summary>
internal static class PhantomMeasure
{
    public static double VolumeMl(LabelMap labels, ushort value)
    {
        var s = labels.Geometry.Spacing;
        return labels.Voxels.Count(v => v == value) * s.X * s.Y * s.Z / 1000.0;
    }

    /// <summary>The LPS centroid of the voxels labelled <paramref name="value"/>.</summary>
    public static Vector3D Centroid(LabelMap labels, ushort value)
    {
        double x = 0, y = 0, z = 0;
        long count = 0;
        Visit(labels.Size, (i, j, k, n) =>
        {
            if (labels.Voxels[n] == value)
            {
                var p = labels.Geometry.IndexToPhysical(i, j, k);
                x += p.X;
                y += p.Y;
                z += p.Z;
                count++;
            }
        });
        Assert.True(count > 0, $"label {value} is absent");
        return new Vector3D(x / count, y / count, z / count);
    }

    /// <summary>The extent (mm) along x, y and z of the voxels labelled <paramref name="value"/>.</summary>
    public static Vector3D Extent(LabelMap labels, ushort value)
    {
        int[] min = [int.MaxValue, int.MaxValue, int.MaxValue];
        int[] max = [-1, -1, -1];
        Visit(labels.Size, (i, j, k, n) =>
        {
            if (labels.Voxels[n] == value)
            {
                int[] index = [i, j, k];
                for (var a = 0; a < 3; a++)
                {
                    min[a] = Math.Min(min[a], index[a]);
                    max[a] = Math.Max(max[a], index[a]);
                }
            }
        });
        var s = labels.Geometry.Spacing;
        return new Vector3D((max[0] - min[0] + 1) * s.X, (max[1] - min[1] + 1) * s.Y, (max[2] - min[2] + 1) * s.Z);
    }

    /// <summary>Median HU over voxels labelled <paramref name="value"/> whose six neighbours share the label (border blur excluded).</summary>
    public static double ErodedMedian(Volume image, LabelMap labels, ushort value)
    {
        var size = labels.Size;
        var values = new List<float>();
        Visit(size, (i, j, k, n) =>
        {
            if (labels.Voxels[n] == value && i > 0 && j > 0 && k > 0 && i < size.I - 1 && j < size.J - 1 && k < size.K - 1
                && labels[i - 1, j, k] == value && labels[i + 1, j, k] == value && labels[i, j - 1, k] == value
                && labels[i, j + 1, k] == value && labels[i, j, k - 1] == value && labels[i, j, k + 1] == value)
            {
                values.Add(image.Voxels[n]);
            }
        });
        return Median(values);
    }

    /// <summary>Median HU over all voxels labelled <paramref name="value"/>.</summary>
    public static double Median(Volume image, LabelMap labels, ushort value) =>
        Median([.. image.Voxels.Where((_, n) => labels.Voxels[n] == value)]);

    public static double Dice(LabelMap a, LabelMap b, ushort value)
    {
        long both = 0, inA = 0, inB = 0;
        for (var n = 0; n < a.Voxels.Length; n++)
        {
            var x = a.Voxels[n] == value;
            var y = b.Voxels[n] == value;
            inA += x ? 1 : 0;
            inB += y ? 1 : 0;
            both += x && y ? 1 : 0;
        }

        return 2.0 * both / (inA + inB);
    }

    public static void Visit(GridSize size, Action<int, int, int, int> visit)
    {
        var n = 0;
        for (var k = 0; k < size.K; k++)
        {
            for (var j = 0; j < size.J; j++)
            {
                for (var i = 0; i < size.I; i++, n++)
                {
                    visit(i, j, k, n);
                }
            }
        }
    }

    private static double Median(List<float> values)
    {
        Assert.NotEmpty(values);
        values.Sort();
        return values[values.Count / 2];
    }
}
