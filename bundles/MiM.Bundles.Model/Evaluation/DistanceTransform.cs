namespace MiM.Bundles.Model.Evaluation;

/// <summary>
/// Exact Euclidean distance transform with anisotropic spacing (Felzenszwalb and Huttenlocher's separable lower
/// envelope of parabolas, "Distance Transforms of Sampled Functions", 2012): one 1-D pass per axis, O(voxels).
/// </summary>
public static class DistanceTransform
{
    private const double Infinity = 1e20;

    /// <summary>
    /// For each voxel of an (ni, nj, nk) grid (i fastest), the squared distance in mm² to the nearest voxel where
    /// <paramref name="feature"/> is true; about 1e20 where there is no feature voxel at all.
    /// </summary>
    public static double[] SquaredDistances(bool[] feature, int ni, int nj, int nk, double si, double sj, double sk)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var d = new double[feature.Length];
        for (var v = 0; v < d.Length; v++)
        {
            d[v] = feature[v] ? 0 : Infinity;
        }

        var longest = Math.Max(ni, Math.Max(nj, nk));
        var buffers = new LineBuffers(longest);

        // Axis i: lines over (j, k), contiguous. Axis j: over (i, k), stride ni. Axis k: over (i, j), stride ni·nj.
        for (var line = 0; line < nj * nk; line++)
        {
            Line(d, line * ni, 1, ni, si, buffers);
        }

        for (var line = 0; line < ni * nk; line++)
        {
            Line(d, (line % ni) + (line / ni * ni * nj), ni, nj, sj, buffers);
        }

        for (var line = 0; line < ni * nj; line++)
        {
            Line(d, line, ni * nj, nk, sk, buffers);
        }

        return d;
    }

    private static void Line(double[] d, int origin, int stride, int n, double spacing, LineBuffers b)
    {
        for (var q = 0; q < n; q++)
        {
            b.F[q] = d[origin + (q * stride)];
        }

        Envelope(b.F, n, spacing, b.Output, b.Hull, b.Bounds);
        for (var q = 0; q < n; q++)
        {
            d[origin + (q * stride)] = b.Output[q];
        }
    }

    /// <summary>1-D squared distance: output[q] = min_p ((q − p)·s)² + f[p], by the lower envelope of parabolas.</summary>
    private static void Envelope(double[] f, int n, double s, double[] output, int[] hull, double[] bounds)
    {
        var k = 0;
        hull[0] = 0;
        bounds[0] = double.NegativeInfinity;
        bounds[1] = double.PositiveInfinity;
        for (var q = 1; q < n; q++)
        {
            var cross = Intersection(f, q, hull[k], s);
            while (cross <= bounds[k])
            {
                k--;
                cross = Intersection(f, q, hull[k], s);
            }

            k++;
            hull[k] = q;
            bounds[k] = cross;
            bounds[k + 1] = double.PositiveInfinity;
        }

        k = 0;
        for (var q = 0; q < n; q++)
        {
            while (bounds[k + 1] < q * s)
            {
                k++;
            }

            var delta = (q - hull[k]) * s;
            output[q] = (delta * delta) + f[hull[k]];
        }
    }

    /// <summary>Where the parabolas rooted at q and p (positions in mm) cross.</summary>
    private static double Intersection(double[] f, int q, int p, double s)
    {
        var (xq, xp) = (q * s, p * s);
        return (f[q] + (xq * xq) - (f[p] + (xp * xp))) / (2 * (xq - xp));
    }

    private sealed class LineBuffers(int length)
    {
        public double[] F { get; } = new double[length];

        public double[] Output { get; } = new double[length];

        public int[] Hull { get; } = new int[length];

        public double[] Bounds { get; } = new double[length + 1];
    }
}
