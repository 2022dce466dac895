using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Transforms.Grids;

/// <summary>
/// Copies a box of a grid into a new buffer: the one kernel behind cropping (the box inside the grid) and padding
/// (the box reaching outside it, where voxels take a fill value). Voxels keep their physical positions.
/// </summary>
public static class GridRegion
{
    /// <summary>
    /// The <paramref name="outputSize"/> box whose first voxel is source voxel <paramref name="start"/> (components may be
    /// negative, and the box may run past the end); voxels outside the source take <paramref name="fill"/>.
    /// </summary>
    public static T[] Copy<T>(T[] source, GridSize size, (int I, int J, int K) start, GridSize outputSize, T fill)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        var output = new T[outputSize.VoxelCount];
        if (!EqualityComparer<T>.Default.Equals(fill, default))
        {
            output.AsSpan().Fill(fill);
        }

        // The i range that lies inside the source is the same for every row.
        var firstI = Math.Max(0, -start.I);
        var endI = Math.Min(outputSize.I, size.I - start.I);
        if (endI <= firstI)
        {
            return output;
        }

        for (var k = 0; k < outputSize.K; k++)
        {
            var sk = start.K + k;
            if (sk < 0 || sk >= size.K)
            {
                continue;
            }

            for (var j = 0; j < outputSize.J; j++)
            {
                var sj = start.J + j;
                if (sj < 0 || sj >= size.J)
                {
                    continue;
                }

                Array.Copy(source, size.Offset(start.I + firstI, sj, sk), output, outputSize.Offset(firstI, j, k), endI - firstI);
            }
        }

        return output;
    }

    /// <summary>The geometry of the box: same spacing and direction, origin at source voxel <paramref name="start"/>.</summary>
    public static VolumeGeometry MapGeometry(VolumeGeometry geometry, (int I, int J, int K) start, GridSize outputSize)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return geometry with { Size = outputSize, Origin = geometry.IndexToPhysical(start.I, start.J, start.K) };
    }
}
