using System.CommandLine;
using System.Globalization;
using MiM.Bundles.Model.Training;

namespace MiM.Bundles.Cli.Commands;

/// <summary>`mim pretrain`: MiM self-supervised pre-training from a recipe.</summary>
internal static class PretrainCommand
{
    public static Command Create()
    {
        var configOption = new Option<FileInfo>("--config")
        {
            Description = "Recipe JSON, e.g. configs/pretrain/smoke.json (unit, smoke and full are shipped).",
            Required = true,
        };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in the recipe's output folder from its newest checkpoint." };
        var device = new Option<string?>("--device") { Description = "Override the recipe's device: cpu, cuda, cuda:N, or a list such as cuda:0,1 for data-parallel training." };
        var data = new Option<string?>("--data") { Description = "Override data.source: a NIfTI folder, a list file or an MSD dataset.json." };
        var output = new Option<string?>("--out") { Description = "Override output.directory (the run folder)." };
        var steps = new Option<long?>("--steps") { Description = "Override optimizer.totalSteps." };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: libtorch's choice)." };
        var command = new Command(
            "pretrain",
            "MiM pre-training: three nested levels of masked volumes reconstructed at once with cross-level alignment. "
            + "Prints step, loss per level and alignment term, steps/s and ETA; writes metrics.csv, loss.png and "
            + "checkpoints (model.safetensors with the authors' parameter names, optimizer state, step) into the run "
            + "folder. Ctrl+C writes a checkpoint and stops; --resume continues exactly where it stopped.")
        {
            configOption, resume, device, data, output, steps, threads,
        };
        command.SetAction(parse =>
        {
            using var stop = new StopSignal(() => Console.Error.WriteLine("Stopping after this step; a checkpoint will be written (signal again to end at once)."));
            return Run(
                parse.GetValue(configOption)!.FullName,
                parse.GetValue(resume),
                parse.GetValue(device),
                parse.GetValue(data),
                parse.GetValue(output),
                parse.GetValue(steps),
                parse.GetValue(threads),
                stop.Token);
        });
        return command;
    }

    private static int Run(
        string configPath, bool resume, string? device, string? data, string? output, long? steps, int? threads, CancellationToken cancellation)
    {
        PretrainConfig config;
        try
        {
            config = PretrainConfig.Load(configPath);
            config = config with
            {
                Device = device ?? config.Device,
                Threads = threads ?? config.Threads,
                Data = config.Data with { Source = data ?? config.Data.Source },
                Output = config.Output with { Directory = output ?? config.Output.Directory },
                Optimizer = config.Optimizer with
                {
                    TotalSteps = steps ?? config.Optimizer.TotalSteps,
                    WarmupSteps = Math.Min(config.Optimizer.WarmupSteps, steps ?? config.Optimizer.TotalSteps),
                },
            };
            config.Validate();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }

        using var logging = ConsoleLogging.Create();
        var trainer = new MimPretrainer(config, logging.CreateLogger("pretrain"));
        var progress = new SynchronousProgress<PretrainProgress>(p => Console.Out.WriteLine(Format(p)));
        return TrainingExitCodes.Run(() =>
        {
            var result = trainer.Run(resume, progress, cancellation);
            foreach (var (file, reason) in result.SkippedInputs)
            {
                Console.Out.WriteLine($"skipped input {file}: {reason}");
            }

            Console.Out.WriteLine(result.Cancelled
                ? $"Stopped at step {result.StepsCompleted}; continue with --resume."
                : $"Done: {result.StepsCompleted} steps. Weights: {result.FinalWeights}; metrics: {result.MetricsCsv}");
            return result.Cancelled ? 130 : 0;
        });
    }

    private static string Format(PretrainProgress p) => string.Create(
        CultureInfo.InvariantCulture,
        $"step {p.Step}/{p.TotalSteps}  loss {p.Loss.Total:F4}  (L1 {p.Loss.Level1:F4}  L2 {p.Loss.Level2:F4}  L3 {p.Loss.Level3:F4}  "
        + $"A12 {p.Loss.Align12:F4}  A23 {p.Loss.Align23:F4})  lr {p.LearningRate:E2}  {p.StepsPerSecond:F2} steps/s  "
        + $"ETA {(int)p.Eta.TotalHours:D2}:{p.Eta.Minutes:D2}:{p.Eta.Seconds:D2}{(p.CheckpointWritten is null ? "" : $"  checkpoint {p.CheckpointWritten}")}");
}
