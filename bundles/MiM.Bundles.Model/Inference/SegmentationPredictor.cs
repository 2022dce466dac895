using System.Diagnostics;
using MiM.Bundles.Model.Networks.Downstream;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Inference;

/// <summary>
/// Class probabilities of a whole (prepared) volume from a <see cref="MimSegmentationNetwork"/>: sliding windows at the
/// network's ROI on the network's device, Gaussian-blended logits, softmax over classes.
/// </summary>
public sealed class SegmentationPredictor
{
    private readonly MimSegmentationNetwork _network;
    private readonly SlidingWindowOptions _window;

    /// <summary>A predictor for <paramref name="network"/> (on the device it is on) with <paramref name="window"/> settings.</summary>
    /// <exception cref="ArgumentException">The window ROI differs from the network's.</exception>
    public SegmentationPredictor(MimSegmentationNetwork network, SlidingWindowOptions window)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(window);
        if (window.Roi != network.Roi)
        {
            throw new ArgumentException($"The window ROI {window.Roi} differs from the network's {network.Roi}.", nameof(window));
        }

        _network = network;
        _window = window;
    }

    /// <summary>Probabilities [K, H, W, D] (CPU, float32) for a prepared volume [H, W, D] on any device.</summary>
    public Tensor Predict(Tensor volume) => Predict(volume, timings: null);

    /// <summary>As <see cref="Predict(Tensor)"/>, recording the windows and the network's and blending's time.</summary>
    /// <param name="volume">A prepared volume [H, W, D].</param>
    /// <param name="timings">Where to record (Windows, Network, Blending and the softmax under Labels), or null.</param>
    public Tensor Predict(Tensor volume, SegmentationTimings? timings)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var network = _network;
        var window = _window;

        var device = network.parameters().First().device;
        network.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = volume.to(float32).cpu().reshape(1, 1, volume.shape[0], volume.shape[1], volume.shape[2]);
        var sliding = Stopwatch.StartNew();
        var forward = new Stopwatch();
        var windows = 0;
        var logits = new SlidingWindowInferer(window).Infer(input, batch =>
        {
            forward.Start();
            var output = network.forward(batch.to(device));
            forward.Stop();
            windows += (int)batch.shape[0];
            return output;
        });
        sliding.Stop();
        var softmax = Stopwatch.StartNew();
        var first = logits[0];

        // Softmax in place (max-shifted exp, then normalise) to spare another copy of the output.
        first.sub_(first.amax([0], keepdim: true)).exp_();
        first.div_(first.sum([0], keepdim: true));
        if (timings is not null)
        {
            timings.Windows = windows;
            timings.Network = forward.Elapsed;
            timings.Blending = sliding.Elapsed - forward.Elapsed;
            timings.Labels = softmax.Elapsed;
        }

        return first.MoveToOuterDisposeScope();
    }
}
