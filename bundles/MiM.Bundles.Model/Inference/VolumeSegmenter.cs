using System.Diagnostics;
using System.Globalization;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms;
using MiM.Bundles.Imaging.Transforms.Configuration;
using MiM.Bundles.Model.Data;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.PostProcessing;
using MiM.Bundles.Model.Weights;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Inference;

/// <summary>
/// Segments a CT volume end to end: the model's inference transforms, sliding-window probabilities, argmax, the
/// inverse transforms back to the source grid (nearest neighbour), then optionally keep-largest-component per label.
/// </summary>
public sealed class VolumeSegmenter
{
    private readonly TransformPipeline _pipeline;
    private readonly Func<Tensor, SegmentationTimings?, Tensor> _predict;
    private readonly bool _keepLargest;

    /// <summary>A segmenter for <paramref name="network"/> (on its device).</summary>
    /// <param name="network">The fine-tuned network.</param>
    /// <param name="pipeline">Inference transforms (see <see cref="PipelineFor"/>).</param>
    /// <param name="window">Sliding-window settings; the ROI must be the network's.</param>
    /// <param name="keepLargest">Keep only the largest connected component of each label.</param>
    public VolumeSegmenter(MimSegmentationNetwork network, TransformPipeline pipeline, SlidingWindowOptions window, bool keepLargest)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        _pipeline = pipeline;
        _predict = new SegmentationPredictor(network, window).Predict;
        _keepLargest = keepLargest;
    }

    /// <summary>A segmenter around any probability function [I, J, K] → [classes, I, J, K] (the tests' seam).</summary>
    internal VolumeSegmenter(TransformPipeline pipeline, Func<Tensor, Tensor> predict, bool keepLargest)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(predict);
        _pipeline = pipeline;
        _predict = (volume, _) => predict(volume);
        _keepLargest = keepLargest;
    }

    /// <summary>
    /// The model's inference pipeline: its inline <c>preprocessing</c>, else its <c>preprocessingPath</c> (relative to the
    /// model folder), else RAS reorientation and the model's HU window scaled to [0, 1].
    /// </summary>
    /// <exception cref="TransformConfigException">The pipeline is invalid.</exception>
    public static TransformPipeline PipelineFor(SegmentationModelDescription description, string modelFolder)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (description.Preprocessing is { } inline)
        {
            return TransformPipeline.Parse(inline.GetRawText());
        }

        if (description.PreprocessingPath is { } relative)
        {
            return TransformPipeline.Load(Path.Combine(modelFolder, relative));
        }

        return TransformPipeline.Parse(string.Create(
            CultureInfo.InvariantCulture,
            $$"""
            {"transforms": [
              {"name": "Orientation", "keys": ["image"], "axcodes": "RAS"},
              {"name": "ScaleIntensityRange", "keys": ["image"], "a_min": {{description.HuMin}}, "a_max": {{description.HuMax}}, "b_min": 0.0, "b_max": 1.0, "clip": true}
            ]}
            """));
    }

    /// <summary>The label map of <paramref name="volume"/>, on its grid.</summary>
    /// <param name="volume">The CT volume.</param>
    /// <param name="timings">Where to record the time of each part, or null.</param>
    public LabelMap Segment(Volume volume, SegmentationTimings? timings = null)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var clock = Stopwatch.StartNew();
        var transformed = _pipeline.Apply(SampleSource.FromVolumes(volume), seed: 0);
        var transforms = clock.Elapsed;
        if (transformed.Count != 1)
        {
            throw new InvalidOperationException($"An inference pipeline must give one sample per volume, gave {transformed.Count}.");
        }

        var (sample, inverse) = (transformed[0].Sample, transformed[0].Inverse);
        ushort[] labels;
        using (var scope = NewDisposeScope())
        {
            var grid = VolumeTensors.Image(sample.Image);
            var probabilities = _predict(grid, timings);
            var argmax = Stopwatch.StartNew();
            labels = ArgmaxLabels.FromProbabilities(probabilities);
            if (timings is not null)
            {
                timings.Labels += argmax.Elapsed;
            }
        }

        var backToSource = Stopwatch.StartNew();
        var result = inverse.Invert(new LabelMap(sample.Geometry, labels));
        var inverted = backToSource.Elapsed;
        var keepLargest = Stopwatch.StartNew();
        if (_keepLargest)
        {
            LargestComponentFilter.KeepLargest(result.Voxels, result.Size);
        }

        if (timings is not null)
        {
            timings.Transforms = transforms;
            timings.BackToSource = inverted;
            timings.KeepLargest = _keepLargest ? keepLargest.Elapsed : TimeSpan.Zero;
        }

        return result;
    }
}
