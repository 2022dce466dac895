using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Model.PostProcessing;

/// <summary>
/// MONAI's <c>KeepLargestConnectedComponent</c> for label maps, in pure C#: for each label, only its largest
/// 26-connected component survives; the voxels of its other components become background (0).
/// </summary>
public static class LargestComponentFilter
{
    /// <summary>Filters <paramref name="labels"/> (i fastest, <paramref name="size"/>) in place.</summary>
    /// <param name="labels">The label buffer.</param>
    /// <param name="size">Its grid.</param>
    /// <param name="only">Labels to filter; null = every non-zero label.</param>
    /// <returns>Voxels set to background.</returns>
    public static long KeepLargest(ushort[] labels, GridSize size, IReadOnlySet<ushort>? only = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.LongLength != size.VoxelCount)
        {
            throw new ArgumentException($"A {size} grid needs {size.VoxelCount} labels, got {labels.LongLength}.", nameof(labels));
        }

        var component = new int[labels.Length];
        var sizes = new List<long> { 0 };
        var owner = new List<ushort> { 0 };
        var queue = new int[labels.Length];
        for (var seed = 0; seed < labels.Length; seed++)
        {
            var label = labels[seed];
            if (label == 0 || component[seed] != 0 || (only is not null && !only.Contains(label)))
            {
                continue;
            }

            var id = sizes.Count;
            sizes.Add(Flood(labels, size, component, queue, seed, id));
            owner.Add(label);
        }

        // The largest component of each label; ties keep the first found (lowest voxel index), as scipy's label order does.
        var largest = new Dictionary<ushort, int>();
        for (var id = 1; id < sizes.Count; id++)
        {
            if (!largest.TryGetValue(owner[id], out var best) || sizes[id] > sizes[best])
            {
                largest[owner[id]] = id;
            }
        }

        long removed = 0;
        for (var v = 0; v < labels.Length; v++)
        {
            var id = component[v];
            if (id != 0 && largest[owner[id]] != id)
            {
                labels[v] = 0;
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Breadth-first flood fill of the 26-connected same-label region from <paramref name="seed"/>; returns its size.</summary>
    private static long Flood(ushort[] labels, GridSize size, int[] component, int[] queue, int seed, int id)
    {
        var label = labels[seed];
        var (ni, nj, nk) = (size.I, size.J, size.K);
        var sliceSize = ni * nj;
        var head = 0;
        var tail = 0;
        queue[tail++] = seed;
        component[seed] = id;
        while (head < tail)
        {
            var v = queue[head++];
            var k = v / sliceSize;
            var j = v % sliceSize / ni;
            var i = v % ni;
            for (var dk = -1; dk <= 1; dk++)
            {
                var kk = k + dk;
                if (kk < 0 || kk >= nk)
                {
                    continue;
                }

                for (var dj = -1; dj <= 1; dj++)
                {
                    var jj = j + dj;
                    if (jj < 0 || jj >= nj)
                    {
                        continue;
                    }

                    for (var di = -1; di <= 1; di++)
                    {
                        var ii = i + di;
                        if (ii < 0 || ii >= ni)
                        {
                            continue;
                        }

                        var w = ii + (ni * jj) + (sliceSize * kk);
                        if (component[w] == 0 && labels[w] == label)
                        {
                            component[w] = id;
                            queue[tail++] = w;
                        }
                    }
                }
            }
        }

        return tail;
    }
}
