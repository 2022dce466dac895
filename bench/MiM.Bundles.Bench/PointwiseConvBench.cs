using System.Diagnostics;
using static TorchSharp.torch;

namespace MiM.Bundles.Bench;

/// <summary>
/// The conv stages are mostly 1×1×1 convolutions. This compares libtorch's Conv3d(k=1) with the same maths as a
/// Linear over channels-last data (the layout a faster conv block would keep), forward + backward.
/// </summary>
internal static class PointwiseConvBench
{
    public static void Run()
    {
        Console.WriteLine("| channels × grid | Conv3d 1×1×1 (ms) | GFLOP/s | channels-last Linear (ms) | GFLOP/s |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (channels, edge) in new[] { (12L, 32L), (48L, 48L), (96L, 24L), (192L, 12L) })
        {
            using var conv = nn.Conv3d(channels, channels, 1);
            using var linear = nn.Linear(channels, channels);
            using var x = randn([1, channels, edge, edge, edge]).requires_grad_(true);
            using var xLast = randn([1, edge, edge, edge, channels]).requires_grad_(true);
            var convMs = Time(() => conv.call(x).sum().backward());
            var linearMs = Time(() => linear.call(xLast).sum().backward());
            var flops = 3 * 2.0 * channels * channels * edge * edge * edge;
            Console.WriteLine(
                $"| {channels} × {edge}³ | {convMs:F2} | {flops / convMs / 1e6:F1} | {linearMs:F2} | {flops / linearMs / 1e6:F1} |");
        }
    }

    private static double Time(Action step)
    {
        for (var i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            step();
        }

        const int repeats = 10;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
        {
            using var scope = NewDisposeScope();
            step();
        }

        return clock.Elapsed.TotalMilliseconds / repeats;
    }
}
