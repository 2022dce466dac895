using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Dicom.Segmentation;

/// <summary>
/// Counts each label on each plane (one pass over the label map) and lists the frames to write: segment by segment,
/// planes in ascending k, empty ones only when kept.
/// </summary>
internal static class SegmentFramePlanner
{
    /// <param name="labels">The label map.</param>
    /// <param name="values">The label value of segment number n + 1 at index n.</param>
    /// <param name="keepEmpty">Keep frames where the segment is absent.</param>
    /// <param name="undescribed">Label values present in the map but not in <paramref name="values"/>, ascending.</param>
    public static IReadOnlyList<SegmentFrame> Plan(LabelMap labels, IReadOnlyList<ushort> values, bool keepEmpty, out IReadOnlyList<ushort> undescribed)
    {
        var slot = new int[ushort.MaxValue + 1];
        Array.Fill(slot, -1);
        for (var s = 0; s < values.Count; s++)
        {
            slot[values[s]] = s;
        }

        var planes = labels.Size.K;
        var plane = labels.Size.I * labels.Size.J;
        var counts = new long[planes, values.Count];
        var unknown = new bool[ushort.MaxValue + 1];
        Parallel.For(0, planes, k =>
        {
            var voxels = labels.Voxels.AsSpan(k * plane, plane);
            foreach (var v in voxels)
            {
                if (slot[v] >= 0)
                {
                    counts[k, slot[v]]++;
                }
                else if (v != 0)
                {
                    // Only ever set to true, so concurrent writes agree.
                    unknown[v] = true;
                }
            }
        });

        undescribed = [.. Enumerable.Range(1, ushort.MaxValue).Where(v => unknown[v]).Select(v => (ushort)v)];
        var frames = new List<SegmentFrame>();
        for (var s = 0; s < values.Count; s++)
        {
            for (var k = 0; k < planes; k++)
            {
                if (keepEmpty || counts[k, s] > 0)
                {
                    frames.Add(new SegmentFrame(s + 1, values[s], k, counts[k, s]));
                }
            }
        }

        return frames;
    }
}
