using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Transforms.Grids;

/// <summary>
/// Reorders and reverses a grid's axes without resampling, so every voxel keeps its physical position: the engine of
/// Orientation (nibabel's <c>io_orientation</c> + <c>ornt_transform</c>, as MONAI uses), RandFlip and RandRotate90.
/// </summary>
public static class AxisReorientation
{
    /// <summary>
    /// The axis mapping to the grid closest to <paramref name="target"/>. Source axes are taken in order of their largest
    /// direction component (largest first, as nibabel does), each claiming the still-free world axis it is most aligned with.
    /// </summary>
    /// <exception cref="ArgumentException">The direction cosines are not orthonormal.</exception>
    public static AxisMapping Plan(Direction3D direction, AxisCodes target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!direction.IsOrthonormal())
        {
            throw new ArgumentException($"Direction cosines must be orthonormal, were {direction}.", nameof(direction));
        }

        var order = new[] { 0, 1, 2 };
        var largest = order.Select(axis => MaxAbsComponent(direction[axis])).ToArray();

        // Stable sort, so exact ties (e.g. 45° obliques) resolve by axis number and the plan is reproducible.
        order = [.. order.OrderByDescending(axis => largest[axis])];
        var sourceOfWorld = new int[3];
        var worldTaken = new bool[3];
        foreach (var source in order)
        {
            var world = -1;
            for (var w = 0; w < 3; w++)
            {
                if (!worldTaken[w] && (world < 0 || Math.Abs(direction[source][w]) > Math.Abs(direction[source][world])))
                {
                    world = w;
                }
            }

            worldTaken[world] = true;
            sourceOfWorld[world] = source;
        }

        var sourceOf = new int[3];
        var flip = new bool[3];
        for (var a = 0; a < 3; a++)
        {
            var world = target.WorldAxisOf(a);
            sourceOf[a] = sourceOfWorld[world];
            flip[a] = Math.Sign(direction[sourceOf[a]][world]) != target.SignOf(a);
        }

        return AxisMapping.From(sourceOf, flip);
    }

    /// <summary>
    /// Remaps a voxel buffer (i fastest) of <paramref name="geometry"/>. Returns a new buffer (i fastest) and the geometry
    /// that places each output voxel where its source voxel was.
    /// </summary>
    /// <exception cref="ArgumentException">The geometry is invalid or the buffer's length does not match it.</exception>
    public static (T[] Voxels, VolumeGeometry Geometry) Apply<T>(T[] voxels, VolumeGeometry geometry, AxisMapping mapping)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(voxels);
        ArgumentNullException.ThrowIfNull(geometry);
        geometry.Validate();
        if (voxels.LongLength != geometry.Size.VoxelCount)
        {
            throw new ArgumentException($"Buffer holds {voxels.LongLength} voxels but a {geometry.Size} grid needs {geometry.Size.VoxelCount}.", nameof(voxels));
        }

        return (Remap(voxels, geometry.Size, mapping), MapGeometry(geometry, mapping));
    }

    /// <summary>The geometry of the remapped grid: permuted sizes and spacings, reversed axes, origin at the source voxel now first.</summary>
    public static VolumeGeometry MapGeometry(VolumeGeometry geometry, AxisMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var size = geometry.Size;
        var firstSource = new double[3];
        var axes = new Vector3D[3];
        var sizes = new int[3];
        var spacings = new double[3];
        for (var a = 0; a < 3; a++)
        {
            var source = mapping.SourceOf(a);
            sizes[a] = size[source];
            spacings[a] = geometry.Spacing[source];
            axes[a] = mapping.IsFlipped(a) ? -geometry.Direction[source] : geometry.Direction[source];
            firstSource[source] = mapping.IsFlipped(a) ? size[source] - 1 : 0;
        }

        return geometry with
        {
            Size = new GridSize(sizes[0], sizes[1], sizes[2]),
            Origin = geometry.IndexToPhysical(firstSource[0], firstSource[1], firstSource[2]),
            Spacing = new Vector3D(spacings[0], spacings[1], spacings[2]),
            Direction = new Direction3D(axes[0], axes[1], axes[2]),
        };
    }

    private static T[] Remap<T>(T[] source, GridSize size, AxisMapping mapping)
        where T : unmanaged
    {
        if (mapping.IsIdentity)
        {
            return (T[])source.Clone();
        }

        long[] sourceStride = [1, size.I, (long)size.I * size.J];

        // Walk the output in order; each output axis advances the source index by ± the stride of its source axis.
        var start = 0L;
        var step = new long[3];
        var count = new int[3];
        for (var a = 0; a < 3; a++)
        {
            var axis = mapping.SourceOf(a);
            count[a] = size[axis];
            step[a] = mapping.IsFlipped(a) ? -sourceStride[axis] : sourceStride[axis];
            start += mapping.IsFlipped(a) ? (size[axis] - 1) * sourceStride[axis] : 0;
        }

        var output = new T[source.LongLength];
        var o = 0L;
        for (var k = 0; k < count[2]; k++)
        {
            for (var j = 0; j < count[1]; j++)
            {
                var s = start + (k * step[2]) + (j * step[1]);

                // Rows along source i (the usual case: LPS files flip i) are block copies, reversed when flipped.
                if (step[0] == 1 || step[0] == -1)
                {
                    var first = step[0] == 1 ? s : s - count[0] + 1;
                    Array.Copy(source, first, output, o, count[0]);
                    if (step[0] == -1)
                    {
                        output.AsSpan((int)o, count[0]).Reverse();
                    }

                    o += count[0];
                    continue;
                }

                for (var i = 0; i < count[0]; i++, s += step[0])
                {
                    output[o++] = source[s];
                }
            }
        }

        return output;
    }

    private static double MaxAbsComponent(Vector3D v) => Math.Max(Math.Abs(v.X), Math.Max(Math.Abs(v.Y), Math.Abs(v.Z)));
}
