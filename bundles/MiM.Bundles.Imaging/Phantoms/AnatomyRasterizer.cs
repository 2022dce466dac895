namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>Samples an anatomy at every voxel centre: the tissue map and the clean label map.</summary>
internal static class AnatomyRasterizer
{
    /// <summary>Classifies every voxel; slices run in parallel, and each voxel depends only on its own position.</summary>
    public static (byte[] Tissues, ushort[] Labels) Rasterize(PhantomAnatomy anatomy, ParallelOptions options)
    {
        var size = anatomy.Frame.Size;
        var plane = size * size;
        var tissues = new byte[plane * size];
        var labels = new ushort[plane * size];
        Parallel.For(0, size, options, k =>
        {
            var slice = anatomy.Slice(k);
            var n = k * plane;
            for (var j = 0; j < size; j++)
            {
                for (var i = 0; i < size; i++, n++)
                {
                    tissues[n] = (byte)anatomy.Classify(i, j, slice, out var label);
                    labels[n] = label;
                }
            }
        });
        return (tissues, labels);
    }
}
