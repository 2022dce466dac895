using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Model.Evaluation;

namespace MiM.Bundles.Model.Tests.Evaluation;

public sealed class SegmentationMetricsTests
{
    private static readonly GridSize Size = new(12, 6, 5);

    [Fact]
    public void Dice_of_two_half_overlapping_bars_is_one_half()
    {
        var p = Mask((i, j, k) => j == 2 && k == 2 && i is >= 2 and < 10);
        var r = Mask((i, j, k) => j == 2 && k == 2 && i is >= 6 and < 14);

        Assert.Equal(2.0 * 4 / (8 + 6), SegmentationMetrics.Dice(p, r), 12);
        Assert.True(double.IsNaN(SegmentationMetrics.Dice(Mask((_, _, _) => false), Mask((_, _, _) => false))));
    }

    [Fact]
    public void Hd95_of_two_voxels_is_their_distance_in_millimetres()
    {
        var p = Mask((i, j, k) => i == 1 && j == 1 && k == 1);
        var r = Mask((i, j, k) => i == 4 && j == 1 && k == 1);

        Assert.Equal(6.0, SegmentationMetrics.Hd95(p, r, Size, 2.0, 1.0, 1.0), 9);
        Assert.Equal(Math.Sqrt(36 + (2.5 * 2.5 * 4)), SegmentationMetrics.Hd95(p, Mask((i, j, k) => i == 4 && j == 1 && k == 3), Size, 2.0, 1.0, 2.5), 9);
    }

    [Fact]
    public void Hd95_interpolates_the_95th_percentile_and_takes_the_worse_direction()
    {
        // P's surface distances to R: {0, 4·1.5}; numpy's percentile 95 of [0, 6] is 5.7. R to P: {0}.
        var p = Mask((i, j, k) => j == 0 && k == 0 && i is 0 or 4);
        var r = Mask((i, j, k) => i == 0 && j == 0 && k == 0);

        Assert.Equal(5.7, SegmentationMetrics.Hd95(p, r, Size, 1.5, 1.0, 1.0), 9);
        Assert.Equal(5.7, SegmentationMetrics.Hd95(r, p, Size, 1.5, 1.0, 1.0), 9);
        Assert.True(double.IsNaN(SegmentationMetrics.Hd95(p, Mask((_, _, _) => false), Size, 1, 1, 1)));
    }

    [Fact]
    public void Distance_transform_matches_brute_force_with_anisotropic_spacing()
    {
        var random = new Random(5);
        var (ni, nj, nk) = (7, 5, 6);
        var feature = Enumerable.Range(0, ni * nj * nk).Select(_ => random.NextDouble() < 0.08).ToArray();
        feature[17] = true;
        var (si, sj, sk) = (0.7, 1.3, 2.5);

        var squared = DistanceTransform.SquaredDistances(feature, ni, nj, nk, si, sj, sk);

        for (var v = 0; v < feature.Length; v++)
        {
            var best = double.MaxValue;
            for (var w = 0; w < feature.Length; w++)
            {
                if (feature[w])
                {
                    var di = ((v % ni) - (w % ni)) * si;
                    var dj = ((v / ni % nj) - (w / ni % nj)) * sj;
                    var dk = ((v / (ni * nj)) - (w / (ni * nj))) * sk;
                    best = Math.Min(best, (di * di) + (dj * dj) + (dk * dk));
                }
            }

            Assert.Equal(best, squared[v], 9);
        }
    }

    [Fact]
    public void Evaluate_reports_every_foreground_class_and_the_mean_dice_without_background()
    {
        var geometry = new VolumeGeometry(Size, new Vector3D(0, 0, 0), new Vector3D(1, 1, 2), Direction3D.Identity);
        var reference = LabelMap.Empty(geometry);
        var predicted = LabelMap.Empty(geometry);
        reference[1, 1, 1] = 1;
        predicted[1, 1, 1] = 1;
        reference[5, 1, 1] = 2;
        predicted[5, 1, 2] = 2;

        var evaluation = SegmentationMetrics.Evaluate(predicted, reference, 4, l => $"organ {l}");

        Assert.Equal([1, 2, 3], evaluation.Classes.Select(c => c.Label));
        Assert.Equal(1.0, evaluation.Classes[0].Dice);
        Assert.Equal(0.0, evaluation.Classes[1].Dice);
        Assert.Equal(2.0, evaluation.Classes[1].Hd95Mm, 9);
        Assert.True(double.IsNaN(evaluation.Classes[2].Dice));
        Assert.Equal(0.5, evaluation.MeanDice, 12);
        Assert.Equal("organ 2", evaluation.Classes[1].Name);
    }

    private static bool[] Mask(Func<int, int, int, bool> inside)
    {
        var mask = new bool[Size.VoxelCount];
        for (var k = 0; k < Size.K; k++)
        {
            for (var j = 0; j < Size.J; j++)
            {
                for (var i = 0; i < Size.I; i++)
                {
                    mask[Size.Offset(i, j, k)] = inside(i, j, k);
                }
            }
        }

        return mask;
    }
}
