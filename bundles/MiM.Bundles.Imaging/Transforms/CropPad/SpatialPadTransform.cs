using MiM.Bundles.Imaging.Transforms.Configuration;

namespace MiM.Bundles.Imaging.Transforms.CropPad;

/// <summary>
/// MONAI's <c>SpatialPad(spatial_size, method, value)</c>: pads each axis shorter than the size with a constant (labels
/// with 0). "symmetric" (the default) puts floor(m/2) of the m missing voxels before and the rest after; "end" puts all
/// after. Axes already long enough, and sizes of -1, are left alone. Voxels keep their physical positions.
/// </summary>
public sealed class SpatialPadTransform : SingleSampleTransform
{
    /// <summary>Pads to at least <paramref name="spatialSize"/> voxels per axis.</summary>
    public SpatialPadTransform(IReadOnlyList<int> spatialSize, bool symmetric = true, float value = 0)
    {
        ArgumentNullException.ThrowIfNull(spatialSize);
        if (spatialSize.Count != 3)
        {
            throw new ArgumentException("spatial_size needs 3 values.", nameof(spatialSize));
        }

        (SpatialSize, Symmetric, Value) = ([.. spatialSize], symmetric, value);
    }

    /// <inheritdoc/>
    public override string Name => "SpatialPad";

    /// <summary>The minimum size per axis (−1 or less: any).</summary>
    public IReadOnlyList<int> SpatialSize { get; }

    /// <summary>True for "symmetric", false for "end".</summary>
    public bool Symmetric { get; }

    /// <summary>The image's fill value; labels are padded with 0.</summary>
    public float Value { get; }

    /// <summary>Reads <c>spatial_size</c> (required), <c>method</c> ("symmetric" or "end") and <c>value</c> (default 0).</summary>
    public static SpatialPadTransform FromParameters(TransformParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var size = parameters.OptionalInts("spatial_size", 3) ?? throw parameters.Missing("spatial_size", "a whole number or an array of 3");
        var method = parameters.OptionalString("method") ?? "symmetric";
        if (method is not ("symmetric" or "end"))
        {
            throw parameters.Invalid("method", $"\"symmetric\" or \"end\", was \"{method}\"");
        }

        var mode = parameters.OptionalString("mode") ?? "constant";
        if (mode != "constant")
        {
            throw parameters.Invalid("mode", $"\"constant\" (the only padding mode supported), was \"{mode}\"");
        }

        return new SpatialPadTransform(size, method == "symmetric", (float)(parameters.OptionalNumber("value") ?? 0));
    }

    /// <summary>The voxels added before index 0 on an axis of <paramref name="size"/> padded to <paramref name="minimum"/> symmetrically.</summary>
    public static int PadBefore(int size, int minimum) => Math.Max(minimum - size, 0) / 2;

    /// <inheritdoc/>
    protected override TransformSample ApplyOne(TransformSample sample, TransformContext context)
    {
        var size = sample.Geometry.Size;
        if (Enumerable.Range(0, 3).All(a => size[a] >= SpatialSize[a]))
        {
            return sample;
        }

        var before = new int[3];
        var after = new int[3];
        for (var a = 0; a < 3; a++)
        {
            after[a] = Math.Max(size[a], SpatialSize[a]);
            before[a] = Symmetric ? PadBefore(size[a], SpatialSize[a]) : 0;
        }

        return SampleRegion.Extract(sample, (-before[0], -before[1], -before[2]), new(after[0], after[1], after[2]), Value);
    }
}
