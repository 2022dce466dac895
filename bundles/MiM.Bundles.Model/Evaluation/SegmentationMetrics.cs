using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Model.Evaluation;

/// <summary>
/// Dice and HD95 per label, as MONAI's <c>DiceMetric</c> and <c>HausdorffDistanceMetric(percentile=95)</c> compute
/// them: surfaces are the mask voxels with a 6-neighbour outside the mask (binary erosion XOR mask, outside the grid
/// counts as background); each surface voxel's distance to the other surface comes from an exact anisotropic
/// Euclidean distance transform (<see cref="DistanceTransform"/>, in mm via the voxel spacing); HD95 is the larger
/// of the two directed 95th percentiles (linear interpolation, as numpy). Work is confined to the bounding box of the
/// two masks, which holds every surface voxel.
/// </summary>
public static class SegmentationMetrics
{
    /// <summary>Metrics for labels 1 … <paramref name="classes"/> − 1.</summary>
    /// <param name="predicted">Predicted labels.</param>
    /// <param name="reference">Reference labels on the same grid.</param>
    /// <param name="classes">Number of classes including background.</param>
    /// <param name="name">Names of the labels.</param>
    /// <exception cref="ArgumentException">The grids differ.</exception>
    public static SegmentationEvaluation Evaluate(LabelMap predicted, LabelMap reference, int classes, Func<int, string> name)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(name);
        if (!predicted.Geometry.IsSameGrid(reference.Geometry, toleranceMm: 0.01))
        {
            throw new ArgumentException(
                $"The prediction ({predicted.Size}) and the reference ({reference.Size}) are not on the same grid.", nameof(reference));
        }

        var spacing = reference.Geometry.Spacing;
        var results = new List<ClassMetrics>();
        for (var label = 1; label < classes; label++)
        {
            var p = Mask(predicted.Voxels, (ushort)label);
            var r = Mask(reference.Voxels, (ushort)label);
            results.Add(new ClassMetrics(
                label, name(label), Dice(p, r), Hd95(p, r, reference.Size, spacing.X, spacing.Y, spacing.Z), Count(p), Count(r)));
        }

        return new SegmentationEvaluation(results);
    }

    /// <summary>2|P∩R| / (|P| + |R|); NaN when both are empty.</summary>
    public static double Dice(bool[] predicted, bool[] reference)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(reference);
        long both = 0, total = 0;
        for (var v = 0; v < predicted.Length; v++)
        {
            both += predicted[v] && reference[v] ? 1 : 0;
            total += (predicted[v] ? 1 : 0) + (reference[v] ? 1 : 0);
        }

        return total == 0 ? double.NaN : 2.0 * both / total;
    }

    /// <summary>The 95th-percentile symmetric surface distance in mm; NaN when either mask is empty.</summary>
    public static double Hd95(bool[] predicted, bool[] reference, GridSize size, double si, double sj, double sk)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(reference);
        if (Count(predicted) == 0 || Count(reference) == 0)
        {
            return double.NaN;
        }

        var box = BoundingBox(predicted, reference, size);
        var p = Crop(predicted, size, box);
        var r = Crop(reference, size, box);
        var (ni, nj, nk) = (box.I1 - box.I0, box.J1 - box.J0, box.K1 - box.K0);
        var pSurface = Surface(p, ni, nj, nk);
        var rSurface = Surface(r, ni, nj, nk);
        var toReference = DistanceTransform.SquaredDistances(rSurface, ni, nj, nk, si, sj, sk);
        var toPrediction = DistanceTransform.SquaredDistances(pSurface, ni, nj, nk, si, sj, sk);
        var forward = Percentile95(pSurface, toReference);
        var backward = Percentile95(rSurface, toPrediction);
        return Math.Max(forward, backward);
    }

    private static bool[] Mask(ushort[] labels, ushort label)
    {
        var mask = new bool[labels.Length];
        for (var v = 0; v < labels.Length; v++)
        {
            mask[v] = labels[v] == label;
        }

        return mask;
    }

    private static long Count(bool[] mask) => mask.LongCount(m => m);

    private static (int I0, int I1, int J0, int J1, int K0, int K1) BoundingBox(bool[] a, bool[] b, GridSize size)
    {
        var (i0, j0, k0, i1, j1, k1) = (int.MaxValue, int.MaxValue, int.MaxValue, -1, -1, -1);
        for (var k = 0; k < size.K; k++)
        {
            for (var j = 0; j < size.J; j++)
            {
                var row = (int)size.Offset(0, j, k);
                for (var i = 0; i < size.I; i++)
                {
                    if (a[row + i] || b[row + i])
                    {
                        (i0, i1) = (Math.Min(i0, i), Math.Max(i1, i));
                        (j0, j1) = (Math.Min(j0, j), Math.Max(j1, j));
                        (k0, k1) = (Math.Min(k0, k), Math.Max(k1, k));
                    }
                }
            }
        }

        return (i0, i1 + 1, j0, j1 + 1, k0, k1 + 1);
    }

    private static bool[] Crop(bool[] mask, GridSize size, (int I0, int I1, int J0, int J1, int K0, int K1) box)
    {
        var (ni, nj) = (box.I1 - box.I0, box.J1 - box.J0);
        var cropped = new bool[ni * nj * (box.K1 - box.K0)];
        for (var k = box.K0; k < box.K1; k++)
        {
            for (var j = box.J0; j < box.J1; j++)
            {
                Array.Copy(mask, size.Offset(box.I0, j, k), cropped, (j - box.J0 + (nj * (k - box.K0))) * ni, ni);
            }
        }

        return cropped;
    }

    /// <summary>Mask voxels with a face neighbour outside the mask or outside the grid.</summary>
    private static bool[] Surface(bool[] mask, int ni, int nj, int nk)
    {
        var surface = new bool[mask.Length];
        for (var k = 0; k < nk; k++)
        {
            for (var j = 0; j < nj; j++)
            {
                for (var i = 0; i < ni; i++)
                {
                    var v = i + (ni * (j + (nj * k)));
                    surface[v] = mask[v] && (
                        i == 0 || !mask[v - 1] || i == ni - 1 || !mask[v + 1]
                        || j == 0 || !mask[v - ni] || j == nj - 1 || !mask[v + ni]
                        || k == 0 || !mask[v - (ni * nj)] || k == nk - 1 || !mask[v + (ni * nj)]);
                }
            }
        }

        return surface;
    }

    private static double Percentile95(bool[] from, double[] squaredDistance)
    {
        var distances = new List<double>();
        for (var v = 0; v < from.Length; v++)
        {
            if (from[v])
            {
                distances.Add(Math.Sqrt(squaredDistance[v]));
            }
        }

        distances.Sort();
        var rank = 0.95 * (distances.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, distances.Count - 1);
        return distances[low] + ((rank - low) * (distances[high] - distances[low]));
    }
}
