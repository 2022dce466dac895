using System.Diagnostics;
using System.Globalization;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Randomness;
using MiM.Bundles.Model.Runtime;
using MiM.Bundles.Model.Training;
using static TorchSharp.torch;

namespace MiM.Bundles.Bench;

/// <summary>
/// The network's speed as a fraction of what the cores do (issue 15): the unmasked encoder forward and the
/// segmentation network's forward for one window, each in inference mode, as medians of timed repeats after a warm-up,
/// and one pre-training step on one volume, with analytic FLOPs ÷ time next to the same run's libtorch 2048² matmul.
/// The matmul is also timed right after every timed pass, and the "paired" fraction is the median of each pass's
/// GFLOP/s over the matmul's just after it: this VM's speed moves 10–25% between minutes, as much as the gap to a goal,
/// and a pairing lets that drift cancel instead of landing on one side of the ratio.
/// A whole recipe's pre-training step (every level's volumes) is the default mode's (`-- smoke 10`). The tensor-pages mode in force is printed: run once with <c>MIM_TENSOR_PAGES=default</c> to
/// compare.
/// </summary>
internal static class NetworkBench
{
    // Untimed passes before the timed ones: a long-running host or a training run repeats the steady state thousands
    // of times, while the first passes still fault in memory the kept-memory allocator then reuses. Measured at full
    // size, pass by pass in fresh processes: encoder forward 0.87–1.04 s, 0.51–0.58 s, 0.34–0.47 s, then 0.30–0.36 s;
    // segmentation window 8.3–11.1 s, 6.0–7.1 s, then 6.3–6.6 s; pre-training step: the second 2.1–2.4 s against
    // 1.6–1.9 s for the steps after it. The first pass is printed on its own.
    private const int EncoderWarmUps = 3;
    private const int WindowWarmUps = 2;
    private const int StepWarmUps = 2;

    public static void Run(string[] args, Func<double> matmulGflops)
    {
        ArgumentNullException.ThrowIfNull(matmulGflops);
        var sizes = (args.Length > 1 ? args[1] : "smoke,full").Split(',');
        var repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        Console.WriteLine($"threads {get_num_threads()}, {Environment.ProcessorCount} logical CPUs, tensor pages {TensorPages.Mode}, median of {repeats} after untimed passes (encoder {EncoderWarmUps}, pre-training step {StepWarmUps}, segmentation window {WindowWarmUps}; the first of them is the \"first pass\" column)");
        Console.WriteLine();
        Console.WriteLine("| size | part | GFLOP | first pass (s) | median (s) | fastest – slowest (s) | GFLOP/s (median) | matmul GFLOP/s (same run) | fraction of matmul | paired fraction (median, range) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var name in sizes)
        {
            var config = Size(name);
            manual_seed(0);
            using (var network = new MimPretrainNetwork(config))
            {
                network.eval();
                using var volume = rand([1, config.InChannels, config.InputSize, config.InputSize, config.InputSize]);
                Report(name, "encoder forward (all tokens)", ForwardFlops.Encoder(config, config.TokenCount), Time(repeats, () =>
                {
                    using var noGrad = no_grad();
                    using var features = network.EncodeAllTokens(volume);
                }, EncoderWarmUps, matmulGflops), matmulGflops);
            }

            // One pre-training step on one volume (forward, backward and AdamW; 75% of the tokens masked, reconstruction
            // only): the unit of work a training step repeats for every volume of every level. Analytic FLOPs: the
            // backward pass as twice the forward.
            const double MaskRatio = 0.75;
            manual_seed(0);
            using (var network = new MimPretrainNetwork(config))
            {
                using var optimizer = AdamWFactory.Create(network, new OptimizerSettings());
                var objective = new MimPretrainObjective(network, new LossWeights(), legacyAlignment: false);
                using var volume = rand([1, config.InChannels, config.InputSize, config.InputSize, config.InputSize]);
                Report(name, $"pre-training step, one volume, {MaskRatio:P0} masked (fwd + bwd + AdamW)", 3 * ForwardFlops.Compute(config, TokenMasks.VisibleCount(config.TokenCount, MaskRatio)), Time(repeats, () =>
                {
                    using var scope = NewDisposeScope();
                    var mask = TokenMasks.Random(new StepRandom(0, 0, RandomPurpose.Masking), 1, config.TokenCount, MaskRatio);
                    objective.ReconstructOnly(volume, mask).backward();
                    optimizer.step();
                    optimizer.zero_grad();
                }, StepWarmUps, matmulGflops), matmulGflops);
            }

            var options = new DownstreamOptions { Classes = 14 };
            manual_seed(0);
            using (var segmentation = new MimSegmentationNetwork(config, options))
            {
                segmentation.eval();
                using var window = rand([1, 1, segmentation.Roi, segmentation.Roi, segmentation.Roi]);
                Report(name, $"segmentation window forward ({segmentation.Roi}³, 14 classes)", SegmentationFlops.Compute(config, options), Time(repeats, () =>
                {
                    using var noGrad = no_grad();
                    using var logits = segmentation.forward(window);
                }, WindowWarmUps, matmulGflops), matmulGflops);
            }
        }
    }

    /// <summary>The network configuration of a size name on the command line.</summary>
    public static MimNetworkConfig Size(string name) => name switch
    {
        "unit" => MimNetworkConfig.Unit,
        "smoke" => MimNetworkConfig.Smoke,
        "full" => MimNetworkConfig.Full,
        _ => throw new ArgumentException($"Unknown size '{name}' (unit, smoke, full)."),
    };

    private static void Report(string size, string part, double flops, Timings seconds, Func<double> matmulGflops)
    {
        var matmul = matmulGflops();
        var achieved = flops / seconds.Median / 1e9;
        var paired = seconds.Paired.Select((reference, i) => flops / seconds.Passes[i] / 1e9 / reference).Order().ToArray();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {size} | {part} | {flops / 1e9:F1} | {seconds.First:F3} | {seconds.Median:F3} | {seconds.Fastest:F3} – {seconds.Slowest:F3} | {achieved:F1} | {matmul:F1} | {achieved / matmul:P0} | {paired[paired.Length / 2]:P0} ({paired[0]:P0} – {paired[^1]:P0}) |"));
    }

    /// <summary>The median time of <paramref name="repeats"/> runs after one warm-up run.</summary>
    public static double Median(int repeats, Action run) => Time(repeats, run).Median;

    /// <summary>
    /// The median, fastest and slowest of <paramref name="repeats"/> timed runs after <paramref name="warmUps"/>
    /// untimed ones (at least one), and the first run's time; with <paramref name="reference"/>, also the reference's
    /// GFLOP/s measured right after each timed run (untimed itself).
    /// </summary>
    private static Timings Time(int repeats, Action run, int warmUps = 1, Func<double>? reference = null)
    {
        var first = Stopwatch.StartNew();
        run();
        var firstSeconds = first.Elapsed.TotalSeconds;
        for (var i = 1; i < warmUps; i++)
        {
            run();
        }

        var times = new double[repeats];
        var references = new double[reference is null ? 0 : repeats];
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            times[i] = clock.Elapsed.TotalSeconds;
            if (reference is not null)
            {
                references[i] = reference();
            }
        }

        var passes = (double[])times.Clone();
        Array.Sort(times);
        return new Timings(times[repeats / 2], times[0], times[^1], firstSeconds, passes, references);
    }

    /// <summary>Summary of the timed passes; <see cref="Passes"/> in the order run, <see cref="Paired"/> the reference's GFLOP/s after each (empty without one).</summary>
    private readonly record struct Timings(double Median, double Fastest, double Slowest, double First, double[] Passes, double[] Paired);
}
