using System.Diagnostics;
using System.Globalization;
using MiM.Bundles.Bench;
using MiM.Bundles.Imaging.Phantoms;
using MiM.Bundles.Model.Data;
using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Randomness;
using MiM.Bundles.Model.Runtime;
using MiM.Bundles.Model.Training;
using static TorchSharp.torch;

// Pre-training step benchmark: step time, peak memory and achieved GFLOP/s for each recipe, next to libtorch's
// matmul GFLOP/s measured in the same run, and the cost of a MiM step relative to a single-level MAE step.
// Usage: dotnet run -c Release --project bench/MiM.Bundles.Bench -- [recipes=unit,smoke] [steps=10] [threads=0]
//        dotnet run -c Release --project bench/MiM.Bundles.Bench -- pointwise
//        dotnet run -c Release --project bench/MiM.Bundles.Bench -- infer [sizes=smoke,full] [volume=256x256x160] [budget_s=300] [overlap=0.5] [sw_batch=2]
//        dotnet run -c Release --project bench/MiM.Bundles.Bench -- network [sizes=smoke,full] [repeats=5]
//        dotnet run -c Release --project bench/MiM.Bundles.Bench -- pytorch [sizes=smoke,full] [repeats=5]
//        dotnet run -c Release --project bench/MiM.Bundles.Bench -- segmentation-model SIZE OUTPUT-FOLDER [classes=10]
TensorPages.Configure();
if (args.Length > 0 && args[0] == "network")
{
    NetworkBench.Run(args, MatmulGflops);
    return 0;
}

if (args.Length > 0 && args[0] == "pytorch")
{
    return PyTorchSideBySide.Run(args, FindRoot());
}

if (args.Length > 0 && args[0] == "segmentation-model")
{
    UntrainedSegmentationModel.Write(args, FindRoot());
    return 0;
}

if (args.Length > 0 && args[0] == "pointwise")
{
    PointwiseConvBench.Run();
    return 0;
}

if (args.Length > 0 && args[0] == "infer")
{
    SlidingWindowBench.Run(args, MatmulGflops);
    return 0;
}

var recipes = (args.Length > 0 ? args[0] : "unit,smoke").Split(',');
var steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
if (args.Length > 2 && int.Parse(args[2], CultureInfo.InvariantCulture) > 0)
{
    set_num_threads(int.Parse(args[2], CultureInfo.InvariantCulture));
}

var root = FindRoot();
Console.WriteLine($"threads {get_num_threads()}, {Environment.ProcessorCount} logical CPUs, {steps} timed steps after 2 warm-up steps");
Console.WriteLine($"libtorch matmul 2048² fp32: {MatmulGflops():F1} GFLOP/s");
Console.WriteLine();
Console.WriteLine("| recipe | MiM step (s) | MiM GFLOP/s | peak RSS (MB) | MAE step (s) | MAE GFLOP/s | MiM / MAE time | matmul GFLOP/s (same run) |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var name in recipes)
{
    var config = PretrainConfig.Load(Path.Combine(root, "configs", "pretrain", name + ".json"));
    manual_seed(0);
    using var network = new MimPretrainNetwork(config.Network);
    using var optimizer = AdamWFactory.Create(network, config.Optimizer);
    var objective = new MimPretrainObjective(network, config.Loss, legacyAlignment: false);
    var sampler = new MaskInMaskSampler(config.Network, config.Masking);
    var prepared = CtPreprocessor.Prepare(PhantomGenerator.Generate(seed: 1, size: config.CropSize).Image, config.CropSize);
    var crop = new PretrainCrop(0, "phantom", RandomCrop.Crop(prepared, config.CropSize, new StepRandom(0, 0, RandomPurpose.Crop), out _), config.CropSize);

    PeakMemory.Reset();
    var mimSeconds = Time(steps, step =>
    {
        using var scope = NewDisposeScope();
        using var sample = sampler.Sample(crop.ToTensor(), new StepRandom(0, step, RandomPurpose.Masking));
        objective.Compute(sample, 0).Total.backward();
        optimizer.step();
        optimizer.zero_grad();
    });
    var peak = PeakMemory.Megabytes();

    var n = config.Network;
    var s = n.InputSize;
    var maeRatio = 0.75;
    var maeSeconds = Time(steps, step =>
    {
        using var scope = NewDisposeScope();
        var octant = crop.ToTensor()[.., .., TensorIndex.Slice(0, s), TensorIndex.Slice(0, s), TensorIndex.Slice(0, s)].contiguous();
        var mask = TokenMasks.Random(new StepRandom(0, step, RandomPurpose.Masking), 1, n.TokenCount, maeRatio);
        objective.ReconstructOnly(octant, mask).backward();
        optimizer.step();
        optimizer.zero_grad();
    });

    var m = config.Masking;
    var level2 = m.Level2Count;
    var level3 = m.Level2Count * m.Level3PerLevel2;
    var mimFlops = 3 * (ForwardFlops.Compute(n, TokenMasks.VisibleCount(n.TokenCount, m.Level1MaskRatio))
        + (level2 * ForwardFlops.Compute(n, TokenMasks.VisibleCount(n.TokenCount, m.Level2MaskRatio)))
        + (level3 * ForwardFlops.Compute(n, TokenMasks.VisibleCount(n.TokenCount, m.Level3MaskRatio))));
    var maeFlops = 3 * ForwardFlops.Compute(n, TokenMasks.VisibleCount(n.TokenCount, maeRatio));
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {name} ({s}³, {1 + level2 + level3} volumes/step) | {mimSeconds:F3} | {mimFlops / mimSeconds / 1e9:F1} | {peak:F0} | "
        + $"{maeSeconds:F3} | {maeFlops / maeSeconds / 1e9:F1} | {mimSeconds / maeSeconds:F1} | {MatmulGflops():F1} |"));
}

return 0;

static double Time(int steps, Action<int> step)
{
    for (var i = 0; i < 2; i++)
    {
        step(1000 + i);
    }

    var clock = Stopwatch.StartNew();
    for (var i = 0; i < steps; i++)
    {
        step(i);
    }

    return clock.Elapsed.TotalSeconds / steps;
}

static double MatmulGflops()
{
    using var a = rand(2048, 2048);
    using var b = rand(2048, 2048);
    using (var warm = a.mm(b))
    {
    }

    const int repeats = 5;
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < repeats; i++)
    {
        using var c = a.mm(b);
    }

    return 2.0 * 2048 * 2048 * 2048 * repeats / clock.Elapsed.TotalSeconds / 1e9;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "MiM.Bundles.sln")))
        {
            return dir.FullName;
        }
    }

    throw new DirectoryNotFoundException("Run the benchmark from inside the repository.");
}
