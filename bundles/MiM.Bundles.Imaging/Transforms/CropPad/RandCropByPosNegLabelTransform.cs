using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms.Configuration;

namespace MiM.Bundles.Imaging.Transforms.CropPad;

/// <summary>
/// MONAI's <c>RandCropByPosNegLabel(spatial_size, pos, neg, num_samples, image_key, image_threshold)</c>: makes
/// <c>num_samples</c> crops, each centred on a foreground voxel (label &gt; 0) with probability pos / (pos + neg), else on
/// a background voxel (label 0, and image &gt; image_threshold when image_key is "image"), the centre chosen uniformly
/// among them. A centre too close to the edge is moved inwards so the crop fits. When one class is empty the other is
/// used (MONAI warns and does the same). The image must be at least the crop size: pad it first with SpatialPad.
/// </summary>
public sealed class RandCropByPosNegLabelTransform : IRandomTransform
{
    /// <summary>A crop of <paramref name="spatialSize"/> (−1 or less: the whole axis).</summary>
    public RandCropByPosNegLabelTransform(IReadOnlyList<int> spatialSize, double pos, double neg, int numSamples, bool useImage, double imageThreshold)
    {
        ArgumentNullException.ThrowIfNull(spatialSize);
        if (spatialSize.Count != 3 || spatialSize.Any(s => s == 0))
        {
            throw new ArgumentException("spatial_size needs 3 non-zero values.", nameof(spatialSize));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(pos);
        ArgumentOutOfRangeException.ThrowIfNegative(neg);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pos + neg);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numSamples);
        (SpatialSize, Pos, Neg, NumSamples, UseImage, ImageThreshold) = ([.. spatialSize], pos, neg, numSamples, useImage, imageThreshold);
    }

    /// <inheritdoc/>
    public string Name => "RandCropByPosNegLabel";

    /// <summary>The crop size per axis (−1 or less: the whole axis).</summary>
    public IReadOnlyList<int> SpatialSize { get; }

    /// <summary>The weight of foreground-centred crops.</summary>
    public double Pos { get; }

    /// <summary>The weight of background-centred crops.</summary>
    public double Neg { get; }

    /// <summary>How many crops each input gives.</summary>
    public int NumSamples { get; }

    /// <summary>Whether background centres must also have image &gt; <see cref="ImageThreshold"/>.</summary>
    public bool UseImage { get; }

    /// <summary>The image threshold for background centres.</summary>
    public double ImageThreshold { get; }

    /// <summary>
    /// Reads <c>spatial_size</c> (required), <c>pos</c>, <c>neg</c> (default 1 each), <c>num_samples</c> (default 1),
    /// <c>label_key</c> ("label"), <c>image_key</c> ("image" or absent) and <c>image_threshold</c> (default 0).
    /// </summary>
    public static RandCropByPosNegLabelTransform FromParameters(TransformParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var size = parameters.OptionalInts("spatial_size", 3) ?? throw parameters.Missing("spatial_size", "a whole number or an array of 3");
        if (size.Any(s => s == 0))
        {
            throw parameters.Invalid("spatial_size", "sizes ≥ 1 (or −1 for the whole axis)");
        }

        var pos = parameters.OptionalNumber("pos") ?? 1;
        var neg = parameters.OptionalNumber("neg") ?? 1;
        if (pos < 0 || neg < 0 || pos + neg <= 0)
        {
            throw parameters.Invalid("pos", $"with neg, weights ≥ 0 that are not both 0 (pos {pos}, neg {neg})");
        }

        var samples = parameters.OptionalInt("num_samples") ?? 1;
        if (samples < 1)
        {
            throw parameters.Invalid("num_samples", "a whole number ≥ 1");
        }

        var labelKey = parameters.OptionalString("label_key") ?? "label";
        if (labelKey != "label")
        {
            throw parameters.Invalid("label_key", $"\"label\" (the sample's label map), was \"{labelKey}\"");
        }

        var imageKey = parameters.OptionalString("image_key");
        if (imageKey is not (null or "image"))
        {
            throw parameters.Invalid("image_key", $"\"image\" or absent, was \"{imageKey}\"");
        }

        return new RandCropByPosNegLabelTransform(size, pos, neg, samples, imageKey is not null, parameters.OptionalNumber("image_threshold") ?? 0);
    }

    /// <inheritdoc/>
    public IReadOnlyList<TransformSample> Apply(TransformSample sample, TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(context);
        var label = sample.Label ?? throw new InvalidOperationException("RandCropByPosNegLabel needs a sample with a label map.");
        var grid = sample.Geometry.Size;
        var crop = new int[3];
        for (var a = 0; a < 3; a++)
        {
            crop[a] = SpatialSize[a] < 0 ? grid[a] : SpatialSize[a];
            if (crop[a] > grid[a])
            {
                throw new InvalidOperationException(
                    $"RandCropByPosNegLabel: the {grid} grid is smaller than the {string.Join("x", crop)} crop along axis {a}; pad it first with SpatialPad.");
            }
        }

        var foreground = Count(label.Voxels, sample.Image.Voxels, positive: true);
        var background = Count(label.Voxels, sample.Image.Voxels, positive: false);
        if (foreground == 0 && background == 0)
        {
            throw new InvalidOperationException("RandCropByPosNegLabel: the sample has neither foreground nor background voxels to centre a crop on.");
        }

        var outputs = new TransformSample[NumSamples];
        var cropSize = new GridSize(crop[0], crop[1], crop[2]);
        for (var n = 0; n < NumSamples; n++)
        {
            var positive = context.Random.Chance(Pos / (Pos + Neg));
            positive = positive ? foreground > 0 : background == 0;
            var centre = FindNth(label.Voxels, sample.Image.Voxels, positive, context.Random.NextLong(positive ? foreground : background));
            var k = (int)(centre / ((long)grid.I * grid.J));
            var j = (int)(centre / grid.I % grid.J);
            var i = (int)(centre % grid.I);
            (int I, int J, int K) start = (Start(i, crop[0], grid.I), Start(j, crop[1], grid.J), Start(k, crop[2], grid.K));
            outputs[n] = SampleRegion.Extract(sample, start, cropSize, 0f);
        }

        return outputs;
    }

    // The centre sits at index size/2 of the crop, moved inwards when the crop would leave the grid.
    private static int Start(int centre, int size, int count) => Math.Clamp(centre - (size / 2), 0, count - size);

    private bool IsCandidate(ushort label, float image, bool positive) =>
        positive ? label > 0 : label == 0 && (!UseImage || image > ImageThreshold);

    private long Count(ushort[] labels, float[] image, bool positive)
    {
        var count = 0L;
        for (var n = 0; n < labels.Length; n++)
        {
            count += IsCandidate(labels[n], image[n], positive) ? 1 : 0;
        }

        return count;
    }

    private long FindNth(ushort[] labels, float[] image, bool positive, long nth)
    {
        for (var n = 0; n < labels.Length; n++)
        {
            if (IsCandidate(labels[n], image[n], positive) && nth-- == 0)
            {
                return n;
            }
        }

        throw new InvalidOperationException("The candidate count changed while cropping.");
    }
}
