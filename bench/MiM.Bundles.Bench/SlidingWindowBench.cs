using System.Diagnostics;
using System.Globalization;
using MiM.Bundles.Model.Inference;
using MiM.Bundles.Model.Networks.Downstream;
using static TorchSharp.torch;

namespace MiM.Bundles.Bench;

/// <summary>
/// Sliding-window segmentation inference on one volume (default 256×256×160, 14 classes as BTCV) per network size:
/// wall time, windows, peak RSS, achieved GFLOP/s (analytic FLOPs / time) next to libtorch matmul GFLOP/s from the
/// same run. A size whose estimated run exceeds the budget is timed on one window batch and extrapolated (marked so).
/// </summary>
internal static class SlidingWindowBench
{
    public static void Run(string[] args, Func<double> matmulGflops)
    {
        var sizes = (args.Length > 1 ? args[1] : "smoke,full").Split(',');
        var shape = (args.Length > 2 ? args[2] : "256x256x160").Split('x').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var budgetSeconds = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 300;
        var overlap = args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 0.5;
        var windowBatch = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 2;
        Console.WriteLine($"threads {get_num_threads()}, {Environment.ProcessorCount} logical CPUs; volume {string.Join('x', shape)}, overlap {overlap}, sw_batch {windowBatch}, 14 classes");
        Console.WriteLine();
        Console.WriteLine("| size | ROI | windows | GFLOP/window | time (s) | s/window | GFLOP/s | peak RSS (MB) | matmul GFLOP/s (same run) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var name in sizes)
        {
            var config = NetworkBench.Size(name);
            var options = new DownstreamOptions { Classes = 14 };
            manual_seed(0);
            using var network = new MimSegmentationNetwork(config, options);
            network.eval();
            var roi = network.Roi;
            var windows = shape.Select(s => SlidingWindowInferer.WindowStarts(Math.Max(s, roi), roi, overlap).Count).Aggregate(1, (a, b) => a * b);
            var perWindow = SegmentationFlops.Compute(config, options);

            // A warm-up batch, then one timed batch that tells whether the whole volume fits the budget.
            PeakMemory.Reset();
            double batchSeconds;
            using (var noGrad = no_grad())
            using (var scope = NewDisposeScope())
            {
                var probe = rand([windowBatch, 1, roi, roi, roi]);
                network.forward(probe);
                var clock = Stopwatch.StartNew();
                network.forward(probe);
                batchSeconds = clock.Elapsed.TotalSeconds;
            }

            var estimate = batchSeconds / windowBatch * windows;
            double seconds;
            string note;
            if (estimate > budgetSeconds)
            {
                seconds = estimate;
                note = $" (extrapolated from one batch of {windowBatch} windows: {batchSeconds:F1} s)";
            }
            else
            {
                using var scope = NewDisposeScope();
                var volume = rand([shape[0], shape[1], shape[2]]);
                var predictor = new SegmentationPredictor(network, new SlidingWindowOptions(roi, overlap, windowBatch));
                var clock = Stopwatch.StartNew();
                predictor.Predict(volume);
                seconds = clock.Elapsed.TotalSeconds;
                note = string.Empty;
            }

            var peak = PeakMemory.Megabytes();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {name}{note} | {roi}³ | {windows} | {perWindow / 1e9:F1} | {seconds:F1} | {seconds / windows:F2} | {perWindow * windows / seconds / 1e9:F1} | {peak:F0} | {matmulGflops():F1} |"));
        }
    }
}
