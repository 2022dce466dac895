using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Randomness;
using MiM.Bundles.Model.Training;
using MiM.Bundles.Model.Weights;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MiM.Bundles.Bench;

/// <summary>
/// Our network against PyTorch on the same weights, input, mask and thread count (issue 15): the encoder forward with
/// every token visible and one reconstruction forward + backward, each a median after a warm-up, timed here and then by
/// <c>bench/pytorch/side_by_side.py</c> under the PyTorch this machine's packages provide (Debian's python3-torch),
/// which first proves its network against the authors' fixture outputs. The outputs are compared: the encoder's and the
/// loss must agree within 1e-5 or the run fails.
/// </summary>
internal static class PyTorchSideBySide
{
    private const double Tolerance = 1e-5;
    private const double MaskRatio = 0.75;

    // glibc serves large blocks from its heap and never trims it (as TensorPages' mallopt calls); libtorch's huge pages.
    private const string KeptMemoryTunables = "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736";
    private const string HugePagesVariable = "THP_MEM_ALLOC_ENABLE";

    public static int Run(string[] args, string root)
    {
        var sizes = (args.Length > 1 ? args[1] : "smoke,full").Split(',');
        var repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var python = Environment.GetEnvironmentVariable("MIM_BENCH_PYTHON") ?? (File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
        var work = Directory.CreateTempSubdirectory("mim-side-by-side-");
        var failed = false;
        try
        {
            Console.WriteLine($"threads {get_num_threads()}, median of {repeats} after 1 warm-up, each side in its own process, same weights/input/mask");
            Console.WriteLine();
            Console.WriteLine("| size | part | ours (s) | PyTorch as installed (s) | ÷ ours | PyTorch, memory kept (s) | ÷ ours | largest difference |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            string? torchVersion = null;
            var torchThreads = 0;
            foreach (var name in sizes)
            {
                var config = NetworkBench.Size(name);
                var files = Prepare(config, Path.Combine(work.FullName, name), repeats, out var ours);
                var theirs = RunPython(python, root, files, repeats, keptMemory: false);
                var kept = RunPython(python, root, files, repeats, keptMemory: true);
                torchVersion = theirs.GetProperty("torch").GetString();
                torchThreads = theirs.GetProperty("threads").GetInt32();
                var encoderDifference = theirs.GetProperty("encoder_max_abs").GetDouble();
                var lossDifference = theirs.GetProperty("loss_abs").GetDouble();
                var gradient = theirs.GetProperty("gradient_max_relative").GetDouble();
                Row(name, "encoder forward, all tokens (inference)", ours.Encoder, theirs, kept, "encoder_forward_s", $"features {encoderDifference:0.0e+00} abs");
                Row(name, $"reconstruction forward + backward, {MaskRatio:P0} masked", ours.Step, theirs, kept, "step_s",
                    $"loss {theirs.GetProperty("loss").GetDouble():F6}, {lossDifference:0.0e+00} abs; gradients {gradient:0.0e+00} of the tensor's largest (worst `{theirs.GetProperty("gradient_worst").GetString()}`)");
                failed |= encoderDifference > Tolerance || lossDifference > Tolerance;
            }

            Console.WriteLine();
            Console.WriteLine($"PyTorch {torchVersion} ({python}, {torchThreads} threads); its network matched the authors' fixture outputs before timing.");
            Console.WriteLine($"\"Memory kept\": PyTorch run with GLIBC_TUNABLES={KeptMemoryTunables} and {HugePagesVariable}=1, what `mim` sets inside its own process (TensorPages).");
            if (failed)
            {
                Console.Error.WriteLine($"The outputs differ by more than {Tolerance:E0}: the side-by-side compares different computations.");
            }

            return failed ? 1 : 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static (string Config, string Weights, string Io) Prepare(MimNetworkConfig config, string folder, int repeats, out (double Encoder, double Step) seconds)
    {
        Directory.CreateDirectory(folder);
        (string Config, string Weights, string Io) files = (Path.Combine(folder, "config.json"), Path.Combine(folder, "weights.safetensors"), Path.Combine(folder, "io.safetensors"));
        File.WriteAllText(files.Config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["input_size"] = config.InputSize,
            ["embed_dims"] = config.EmbedDims,
            ["depths"] = config.Depths,
            ["num_heads"] = config.NumHeads,
            ["decoder_dim"] = config.DecoderDim,
            ["decoder_depth"] = config.DecoderDepth,
            ["decoder_heads"] = config.DecoderHeads,
            ["mlp_ratio"] = config.MlpRatio,
        }));

        using var scope = NewDisposeScope();
        manual_seed(0);
        using var network = new MimPretrainNetwork(config);
        MimWeights.Save(network, files.Weights);
        var volume = rand([1, config.InChannels, config.InputSize, config.InputSize, config.InputSize]);
        var mask = TokenMasks.Random(new StepRandom(0, 0, RandomPurpose.Masking), 1, config.TokenCount, MaskRatio);
        var io = new Dictionary<string, Tensor> { ["x"] = volume, ["mask"] = mask };

        network.eval();
        using (no_grad())
        {
            io["encoder_all"] = network.EncodeAllTokens(volume);
            seconds.Encoder = NetworkBench.Median(repeats, () =>
            {
                using var features = network.EncodeAllTokens(volume);
            });
        }

        network.train();
        var objective = new MimPretrainObjective(network, new LossWeights(), legacyAlignment: false);
        seconds.Step = NetworkBench.Median(repeats, () =>
        {
            using var stepScope = NewDisposeScope();
            network.zero_grad();
            objective.ReconstructOnly(volume, mask).backward();
        });
        network.zero_grad();
        var loss = objective.ReconstructOnly(volume, mask);
        loss.backward();
        io["loss"] = loss.detach().reshape(1);
        foreach (var (name, parameter) in network.named_parameters())
        {
            if (parameter.grad is { } grad)
            {
                io["grad." + name] = grad.detach().contiguous();
            }
        }

        Safetensors.SaveStateDict(files.Io, io);
        return files;
    }

    private static JsonElement RunPython(string python, string root, (string Config, string Weights, string Io) files, int repeats, bool keptMemory)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, UseShellExecute = false };
        if (keptMemory)
        {
            start.Environment["GLIBC_TUNABLES"] = KeptMemoryTunables;
            start.Environment[HugePagesVariable] = "1";
        }

        foreach (var argument in new[]
        {
            Path.Combine(root, "bench", "pytorch", "side_by_side.py"),
            "--fixtures", Path.Combine(root, "tests", "MiM.Bundles.Model.Tests", "Assets", "mim_reference"),
            "--config", files.Config, "--weights", files.Weights, "--io", files.Io,
            "--threads", get_num_threads().ToString(CultureInfo.InvariantCulture),
            "--repeats", repeats.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python}.");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{python} side_by_side.py exited with {process.ExitCode} (its error is above). PyTorch missing? On Debian: apt-get install python3-torch.");
        }

        return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.Clone();
    }

    private static void Row(string size, string part, double ours, JsonElement theirs, JsonElement kept, string property, string difference)
    {
        var asInstalled = theirs.GetProperty(property).GetDouble();
        var withKeptMemory = kept.GetProperty(property).GetDouble();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {size} | {part} | {ours:F3} | {asInstalled:F3} | {asInstalled / ours:F1}× | {withKeptMemory:F3} | {withKeptMemory / ours:F1}× | {difference} |"));
    }
}
