using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms.Grids;

namespace MiM.Bundles.Imaging.Transforms;

/// <summary>
/// How to take a result on a transformed grid back to the sample's original grid. Every spatial transform keeps each
/// voxel's physical position in its output geometry, so the inverse of the whole chain is one resampling by physical
/// position onto the original geometry: exact wherever the forward mapping was 1:1 (reorientation, crop, pad, flip,
/// rotation by 90°, and voxels that a spacing change did not move), interpolated elsewhere, 0 where the result grid
/// does not reach (cropped-away voxels, as MONAI's inverse crop pads with zeros).
/// </summary>
public sealed class TransformInverse
{
    /// <summary>An inverse from <paramref name="transformed"/> back to <paramref name="original"/>.</summary>
    public TransformInverse(VolumeGeometry original, VolumeGeometry transformed, IReadOnlyList<string> appliedTransforms)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(transformed);
        ArgumentNullException.ThrowIfNull(appliedTransforms);
        OriginalGeometry = original;
        TransformedGeometry = transformed;
        AppliedTransforms = appliedTransforms;
    }

    /// <summary>The grid the sample was loaded on; inverted results carry this very object.</summary>
    public VolumeGeometry OriginalGeometry { get; }

    /// <summary>The grid the pipeline produced; what <see cref="Invert(LabelMap, ParallelOptions?)"/> accepts.</summary>
    public VolumeGeometry TransformedGeometry { get; }

    /// <summary>The names of the transforms applied, in order (for logs and provenance).</summary>
    public IReadOnlyList<string> AppliedTransforms { get; }

    /// <summary>A label map on the transformed grid, back on the original grid by nearest neighbour.</summary>
    /// <exception cref="ArgumentException">The label map is not on <see cref="TransformedGeometry"/>.</exception>
    public LabelMap Invert(LabelMap labels, ParallelOptions? parallel = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        RequireTransformedGrid(labels.Geometry, nameof(labels));
        var voxels = GridResampler.ResampleNearest(labels.Voxels, labels.Geometry, OriginalGeometry, OutsidePolicy.Fill, (ushort)0, parallel);
        return new LabelMap(OriginalGeometry, voxels);
    }

    /// <summary>
    /// An intensity or probability channel on the transformed grid, back on the original grid by trilinear interpolation
    /// (or nearest with <paramref name="interpolation"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The volume is not on <see cref="TransformedGeometry"/>.</exception>
    public Volume Invert(Volume channel, Interpolation interpolation = Interpolation.Linear, ParallelOptions? parallel = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        RequireTransformedGrid(channel.Geometry, nameof(channel));
        var voxels = GridResampler.Resample(channel.Voxels, channel.Geometry, OriginalGeometry, interpolation, OutsidePolicy.Fill, 0f, parallel);
        return new Volume(OriginalGeometry, voxels);
    }

    private void RequireTransformedGrid(VolumeGeometry geometry, string name)
    {
        if (!geometry.IsSameGrid(TransformedGeometry))
        {
            throw new ArgumentException(
                $"Only a grid equal to the transformed one ({TransformedGeometry.Size}, origin {TransformedGeometry.Origin}) can be inverted; this one is {geometry.Size}, origin {geometry.Origin}.",
                name);
        }
    }
}
