namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// The liver lesions of one case: with probability <c>fraction</c> the case gets one to three ellipsoidal lesions with
/// semi-axes of 15–35 mm, all hypo-dense (two cases in three) or all hyper-dense (as one patient's metastases usually look
/// alike), each 40–90 HU off the liver. Presence and shape come from the case's own lesion stream, so a case without
/// lesions is bit for bit the case generated without them, and raising the fraction only adds lesions to cases (a case
/// with lesions keeps them at any higher fraction). Lesions are painted after the anatomy is rasterised and before the
/// scanner blurs it, centred in the liver's interior and only over liver voxels, so every lesion voxel lies inside the
/// liver and nothing outside the lesions changes. Conspicuous lesions also keep a rim of liver around them
/// (<see cref="ConspicuousRimMm"/>): a dark lesion reaching the liver's edge merges with the dark fat around it, and on a
/// coarse whole-volume grid looks like an oddly shaped liver rather than a lesion.
/// </summary>
internal sealed class LiverLesions
{
    /// <summary>
    /// The least distance (mm) from a conspicuous lesion voxel to the nearest voxel outside the liver: at least one voxel of
    /// the classifier's 13 mm grid and two of a 48³ phantom's ~8.5 mm grid, so the lesion is a hole in the liver at both.
    /// </summary>
    public const double ConspicuousRimMm = 20;

    private readonly Lesion[] lesions;
    private readonly double rimMm;

    /// <summary>Draws case <paramref name="seed"/>'s lesions for a data set in which a <paramref name="fraction"/> of cases have them.</summary>
    public LiverLesions(int seed, double fraction)
        : this(seed, fraction, LesionStyle.Subtle)
    {
    }

    /// <summary>As <see cref="LiverLesions(int, double)"/>, lesions drawn in <paramref name="style"/> (presence is the same draw in every style).</summary>
    public LiverLesions(int seed, double fraction, LesionStyle style)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        var rng = SplitMix64.ForStream(seed, PhantomStream.Lesions);

        // The first draw alone decides presence, so that presence is monotone in the fraction.
        if (!(rng.NextDouble() < fraction))
        {
            lesions = [];
            return;
        }

        var conspicuous = style == LesionStyle.Conspicuous;
        rimMm = conspicuous ? ConspicuousRimMm : 0;
        lesions = new Lesion[rng.Between(1, conspicuous ? 2 : 3)];
        var sign = rng.Chance(2.0 / 3) || conspicuous ? -1 : 1;
        for (var n = 0; n < lesions.Length; n++)
        {
            var radius = conspicuous ? rng.Uniform(35, 50) : rng.Uniform(15, 35);
            var contrast = (conspicuous ? rng.Uniform(110, 160) : rng.Uniform(40, 90)) * sign;
            lesions[n] = new Lesion(
                rng.NextDouble(), (radius * rng.Uniform(0.8, 1.25), radius * rng.Uniform(0.8, 1.25), radius * rng.Uniform(0.8, 1.25)), contrast);
        }
    }

    /// <summary>Lesions drawn (0 when the case has none).</summary>
    public int Count => lesions.Length;

    /// <summary>
    /// Paints the lesions into the ideal image (HU, before blur and noise) and the label map: each lesion is centred on a
    /// liver voxel chosen by its draw (one whose six neighbours are liver too, when the liver has any), and covers the liver
    /// voxels inside its ellipsoid (for conspicuous lesions, only those at least <see cref="ConspicuousRimMm"/> from the
    /// liver's outside, and the centre too when the liver has such voxels).
    /// </summary>
    /// <param name="frame">The grid.</param>
    /// <param name="image">The rendered tissue HU, changed in place.</param>
    /// <param name="labels">The label map, changed in place.</param>
    /// <param name="liverHu">The case's liver attenuation, which lesion contrast is relative to.</param>
    public void Paint(PhantomFrame frame, float[] image, ushort[] labels, float liverHu)
    {
        if (lesions.Length == 0)
        {
            return;
        }

        var size = frame.Size;
        var liver = new List<int>();
        var interior = new List<int>();
        for (var n = 0; n < labels.Length; n++)
        {
            if (labels[n] == PhantomLabels.Liver)
            {
                liver.Add(n);
                if (IsInterior(labels, n, size))
                {
                    interior.Add(n);
                }
            }
        }

        if (liver.Count == 0)
        {
            throw new InvalidOperationException("A phantom without liver voxels cannot carry liver lesions.");
        }

        // A centre on the liver's edge would leave most of the lesion outside the liver, and so a lesion of a voxel or two.
        liver = interior.Count > 0 ? interior : liver;
        var deep = rimMm > 0 ? DeepVoxels(frame, labels, liver, rimMm) : null;
        if (deep is { Count: > 0 })
        {
            liver = deep.Order().ToList();
        }

        foreach (var lesion in lesions)
        {
            var centre = liver[Math.Min(liver.Count - 1, (int)(lesion.Position * liver.Count))];
            var (ci, cj, ck) = (centre % size, centre / size % size, centre / (size * size));
            var (cx, cy, cz) = (frame.X[ci], frame.Y[cj], frame.Z[ck]);
            var (a, b, c) = lesion.SemiAxes;
            var (firstI, lastI) = PhantomFrame.IndexRange(frame.X, cx - a, cx + a);
            var (firstJ, lastJ) = PhantomFrame.IndexRange(frame.Y, cy - b, cy + b);
            var (firstK, lastK) = PhantomFrame.IndexRange(frame.Z, cz - c, cz + c);
            var hu = (float)(liverHu + lesion.Contrast);

            // The centre voxel is always painted (it is liver and at distance 0), so a drawn lesion is never empty.
            for (var k = firstK; k <= lastK; k++)
            {
                for (var j = firstJ; j <= lastJ; j++)
                {
                    for (var i = firstI; i <= lastI; i++)
                    {
                        var n = i + (size * (j + (size * k)));
                        var (u, v, w) = ((frame.X[i] - cx) / a, (frame.Y[j] - cy) / b, (frame.Z[k] - cz) / c);
                        if ((u * u) + (v * v) + (w * w) <= 1 && labels[n] is PhantomLabels.Liver or PhantomLabels.LiverLesion
                            && (deep is null || deep.Contains(n)))
                        {
                            labels[n] = PhantomLabels.LiverLesion;
                            image[n] = hu;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The liver voxels among <paramref name="candidates"/> with no voxel outside the liver within <paramref name="rim"/> mm.</summary>
    private static HashSet<int> DeepVoxels(PhantomFrame frame, ushort[] labels, List<int> candidates, double rim)
    {
        var size = frame.Size;

        // The grid is isotropic-enough per axis; the reach per axis is the rim over that axis's spacing.
        var (sx, sy, sz) = (Math.Abs(frame.X[1] - frame.X[0]), Math.Abs(frame.Y[1] - frame.Y[0]), Math.Abs(frame.Z[1] - frame.Z[0]));
        var (ri, rj, rk) = ((int)(rim / sx), (int)(rim / sy), (int)(rim / sz));
        var offsets = new List<(int I, int J, int K)>();
        for (var dk = -rk; dk <= rk; dk++)
        {
            for (var dj = -rj; dj <= rj; dj++)
            {
                for (var di = -ri; di <= ri; di++)
                {
                    var (x, y, z) = (di * sx, dj * sy, dk * sz);
                    if ((x * x) + (y * y) + (z * z) <= rim * rim)
                    {
                        offsets.Add((di, dj, dk));
                    }
                }
            }
        }

        var deep = new HashSet<int>();
        foreach (var n in candidates)
        {
            var (i, j, k) = (n % size, n / size % size, n / (size * size));
            var inside = true;
            foreach (var (di, dj, dk) in offsets)
            {
                var (a, b, c) = (i + di, j + dj, k + dk);

                // Outside the grid counts as outside the liver.
                if (a < 0 || b < 0 || c < 0 || a >= size || b >= size || c >= size
                    || labels[a + (size * (b + (size * c)))] is not (PhantomLabels.Liver or PhantomLabels.LiverLesion))
                {
                    inside = false;
                    break;
                }
            }

            if (inside)
            {
                deep.Add(n);
            }
        }

        return deep;
    }

    private static bool IsInterior(ushort[] labels, int n, int size)
    {
        var (i, j, k) = (n % size, n / size % size, n / (size * size));
        if (i == 0 || j == 0 || k == 0 || i == size - 1 || j == size - 1 || k == size - 1)
        {
            return false;
        }

        var plane = size * size;
        return labels[n - 1] == PhantomLabels.Liver && labels[n + 1] == PhantomLabels.Liver
            && labels[n - size] == PhantomLabels.Liver && labels[n + size] == PhantomLabels.Liver
            && labels[n - plane] == PhantomLabels.Liver && labels[n + plane] == PhantomLabels.Liver;
    }

    /// <param name="Position">Where among the liver voxels (in index order) the centre lies, in [0, 1).</param>
    /// <param name="SemiAxes">Semi-axes along x, y, z (mm).</param>
    /// <param name="Contrast">HU relative to the liver: negative hypo-dense, positive hyper-dense.</param>
    private sealed record Lesion(double Position, (double X, double Y, double Z) SemiAxes, double Contrast);
}
