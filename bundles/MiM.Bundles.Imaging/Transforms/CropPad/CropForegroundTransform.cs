using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms.Configuration;

namespace MiM.Bundles.Imaging.Transforms.CropPad;

/// <summary>
/// MONAI's <c>CropForeground(source_key, select_fn, margin)</c>: crops image and label to the bounding box of the voxels
/// of the source ("image" or "label") whose value exceeds <c>threshold</c> (MONAI's default <c>select_fn</c> is
/// <c>x &gt; 0</c>), grown by <c>margin</c> voxels per side and kept inside the grid (MONAI's <c>allow_smaller=True</c>).
/// When nothing is selected the sample is returned uncropped, where MONAI would return an empty crop.
/// </summary>
public sealed class CropForegroundTransform : SingleSampleTransform
{
    /// <summary>Crops to the foreground of <paramref name="sourceKey"/>.</summary>
    public CropForegroundTransform(string sourceKey, double threshold, IReadOnlyList<int> margin)
    {
        ArgumentNullException.ThrowIfNull(margin);
        if (sourceKey is not ("image" or "label"))
        {
            throw new ArgumentException($"source_key must be \"image\" or \"label\", was \"{sourceKey}\".", nameof(sourceKey));
        }

        if (margin.Count != 3 || margin.Any(m => m < 0))
        {
            throw new ArgumentException("margin needs 3 values ≥ 0.", nameof(margin));
        }

        (SourceKey, Threshold, Margin) = (sourceKey, threshold, [.. margin]);
    }

    /// <inheritdoc/>
    public override string Name => "CropForeground";

    /// <summary>"image" or "label": whose voxels define the foreground.</summary>
    public string SourceKey { get; }

    /// <summary>Voxels strictly above this are foreground.</summary>
    public double Threshold { get; }

    /// <summary>Voxels added around the box along i, j, k.</summary>
    public IReadOnlyList<int> Margin { get; }

    /// <summary>Reads <c>source_key</c> (default "image"), <c>threshold</c> (default 0) and <c>margin</c> (default 0).</summary>
    public static CropForegroundTransform FromParameters(TransformParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var source = parameters.OptionalString("source_key") ?? "image";
        if (source is not ("image" or "label"))
        {
            throw parameters.Invalid("source_key", $"\"image\" or \"label\", was \"{source}\"");
        }

        var threshold = parameters.OptionalNumber("threshold") ?? 0;
        var margin = parameters.OptionalInts("margin", 3) ?? [0, 0, 0];
        return margin.All(m => m >= 0) ? new CropForegroundTransform(source, threshold, margin) : throw parameters.Invalid("margin", "whole numbers ≥ 0");
    }

    /// <summary>The first voxel and size of the box around the selected voxels with the margin, or null when none is selected.</summary>
    public (int I, int J, int K, GridSize Size)? Box(TransformSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var size = sample.Geometry.Size;
        int[] low = [int.MaxValue, int.MaxValue, int.MaxValue];
        int[] high = [-1, -1, -1];
        if (SourceKey == "label")
        {
            var label = sample.Label ?? throw new InvalidOperationException("CropForeground with source_key \"label\" needs a sample with a label map.");
            Scan(label.Voxels, size, v => v > Threshold, low, high);
        }
        else
        {
            var threshold = Threshold;
            Scan(sample.Image.Voxels, size, v => v > threshold, low, high);
        }

        if (high[0] < 0)
        {
            return null;
        }

        for (var a = 0; a < 3; a++)
        {
            low[a] = Math.Max(0, low[a] - Margin[a]);
            high[a] = Math.Min(size[a] - 1, high[a] + Margin[a]);
        }

        return (low[0], low[1], low[2], new GridSize(high[0] - low[0] + 1, high[1] - low[1] + 1, high[2] - low[2] + 1));
    }

    /// <inheritdoc/>
    protected override TransformSample ApplyOne(TransformSample sample, TransformContext context) =>
        Box(sample) is { } box ? SampleRegion.Extract(sample, (box.I, box.J, box.K), box.Size, 0f) : sample;

    private static void Scan<T>(T[] voxels, GridSize size, Func<T, bool> selected, int[] low, int[] high)
        where T : unmanaged
    {
        var n = 0L;
        for (var k = 0; k < size.K; k++)
        {
            for (var j = 0; j < size.J; j++)
            {
                for (var i = 0; i < size.I; i++, n++)
                {
                    if (!selected(voxels[n]))
                    {
                        continue;
                    }

                    (low[0], high[0]) = (Math.Min(low[0], i), Math.Max(high[0], i));
                    (low[1], high[1]) = (Math.Min(low[1], j), Math.Max(high[1], j));
                    (low[2], high[2]) = (Math.Min(low[2], k), Math.Max(high[2], k));
                }
            }
        }
    }
}
