using System.CommandLine;
using System.Globalization;
using MiM.Bundles.Model.Training.Classification;
using MiM.Bundles.Model.Training.Finetuning;

namespace MiM.Bundles.Cli.Commands;

/// <summary>
/// `mim finetune`: supervised training of the MiM encoder plus a segmentation decoder or (recipe <c>"task": "classification"</c>)
/// a classification head, from a recipe.
/// </summary>
internal static class FinetuneCommand
{
    public static Command Create()
    {
        var configOption = new Option<FileInfo>("--config")
        {
            Description = "Recipe JSON, e.g. configs/finetune/unit.json (unit and smoke segment; classify-unit classifies).",
            Required = true,
        };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in the recipe's output folder from its newest checkpoint." };
        var pretrained = new Option<string?>("--pretrained")
        {
            Description = "Initialise the encoder from a pre-training run folder, checkpoint folder or .safetensors (overrides the recipe's pretrained).",
        };
        var freeze = new Option<bool>("--freeze-encoder") { Description = "Keep the encoder's weights fixed; train only the decoder." };
        var device = new Option<string?>("--device") { Description = "Override the recipe's device: cpu, cuda or cuda:N." };
        var data = new Option<string?>("--data") { Description = "Override data.dataset: an MSD dataset.json with images and labels." };
        var output = new Option<string?>("--out") { Description = "Override output.directory (the run folder)." };
        var steps = new Option<long?>("--steps") { Description = "Override optimizer.totalSteps." };
        var seed = new Option<ulong?>("--seed") { Description = "Override data.seed (initial weights and every random crop)." };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: libtorch's choice)." };
        var command = new Command(
            "finetune",
            "Fine-tune a segmentation network (MiM encoder + residual UNETR decoder) on labelled volumes with DiceCE loss. "
            + "Prints step, loss, steps/s and ETA, and per-class Dice of the held-out cases every validation.every steps; "
            + "writes metrics.csv, validation.csv, loss.png, dice.png and checkpoints into the run folder, keeps the model "
            + "with the best mean Dice (without background) in best/ and the last in final/ — folders `mim infer --weights` "
            + "reads. Ctrl+C writes a checkpoint and stops; --resume continues exactly where it stopped. A classification recipe "
            + "(\"task\": \"classification\", e.g. classify-unit) trains the mean-pooled classification head with cross-entropy "
            + "on a per-case dataset.json field and validates AUC and accuracy; best/ is the best AUC.")
        {
            configOption, resume, pretrained, freeze, device, data, output, steps, seed, threads,
        };
        command.SetAction(parse =>
        {
            FinetuneConfig config;
            try
            {
                config = FinetuneConfig.Load(parse.GetValue(configOption)!.FullName);
                var totalSteps = parse.GetValue(steps) ?? config.Optimizer.TotalSteps;
                config = config with
                {
                    Pretrained = parse.GetValue(pretrained) ?? config.Pretrained,
                    FreezeEncoder = parse.GetValue(freeze) || config.FreezeEncoder,
                    Device = parse.GetValue(device) ?? config.Device,
                    Threads = parse.GetValue(threads) ?? config.Threads,
                    Data = config.Data with { Dataset = parse.GetValue(data) ?? config.Data.Dataset, Seed = parse.GetValue(seed) ?? config.Data.Seed },
                    Output = config.Output with { Directory = parse.GetValue(output) ?? config.Output.Directory },
                    Optimizer = config.Optimizer with { TotalSteps = totalSteps, WarmupSteps = Math.Min(config.Optimizer.WarmupSteps, totalSteps) },
                };
                config.Validate();
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }

            using var stop = new StopSignal(() => Console.Error.WriteLine("Stopping after this step; a checkpoint will be written (signal again to end at once)."));
            return config.Task == FinetuneTask.Classification
                ? RunClassification(config, parse.GetValue(resume), stop.Token)
                : Run(config, parse.GetValue(resume), stop.Token);
        });
        return command;
    }

    private static int Run(FinetuneConfig config, bool resume, CancellationToken cancellation)
    {
        using var logging = ConsoleLogging.Create();
        var progress = new SynchronousProgress<FinetuneProgress>(p =>
        {
            Console.Out.WriteLine(Format(p));
            if (p.Validation is not null)
            {
                Console.Out.WriteLine(Format(p.Validation, config));
            }
        });
        return TrainingExitCodes.Run(() =>
        {
            using var data = FinetuneDataset.Open(config);
            var result = new FineTuner(config, data, logging.CreateLogger("finetune")).Run(resume, progress, cancellation);
            if (result.Cancelled)
            {
                Console.Out.WriteLine($"Stopped at step {result.StepsCompleted}; continue with --resume.");
                return 130;
            }

            Console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Done: {result.StepsCompleted} steps. Best model: {result.BestModel ?? "none"} (mean Dice {result.BestDice:F4} at step {result.BestStep}); final model: {result.LastModel}"));
            return 0;
        });
    }

    private static int RunClassification(FinetuneConfig config, bool resume, CancellationToken cancellation)
    {
        using var logging = ConsoleLogging.Create();
        var progress = new SynchronousProgress<ClassificationProgress>(p =>
        {
            Console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"step {p.Step}/{p.TotalSteps}  loss {p.Loss:F4}  lr {p.LearningRate:E2}  {p.StepsPerSecond:F2} steps/s  "
                + $"ETA {(int)p.Eta.TotalHours:D2}:{p.Eta.Minutes:D2}:{p.Eta.Seconds:D2}{(p.CheckpointWritten is null ? "" : $"  checkpoint {p.CheckpointWritten}")}"));
            if (p.Validation is { } v)
            {
                Console.Out.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"validation at step {v.Step}: AUC {v.Auc:F4}  accuracy {v.Accuracy:F4}  loss {v.Loss:F4}{(v.IsBest ? "  new best" : "")}"));
            }
        });
        return TrainingExitCodes.Run(() =>
        {
            using var data = ClassificationDataset.Open(config);
            var result = new ClassificationFineTuner(config, data, logging.CreateLogger("finetune")).Run(resume, progress, cancellation);
            if (result.Cancelled)
            {
                Console.Out.WriteLine($"Stopped at step {result.StepsCompleted}; continue with --resume.");
                return 130;
            }

            Console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Done: {result.StepsCompleted} steps. Best model: {result.BestModel ?? "none"} (AUC {result.BestAuc:F4}, accuracy {result.BestAccuracy:F4} at step {result.BestStep}); final model: {result.LastModel}"));
            return 0;
        });
    }

    private static string Format(FinetuneProgress p) => string.Create(
        CultureInfo.InvariantCulture,
        $"step {p.Step}/{p.TotalSteps}  loss {p.Loss:F4}  (dice {p.DiceLoss:F4}  ce {p.CrossEntropy:F4})  lr {p.LearningRate:E2}  "
        + $"{p.StepsPerSecond:F2} steps/s  ETA {(int)p.Eta.TotalHours:D2}:{p.Eta.Minutes:D2}:{p.Eta.Seconds:D2}"
        + $"{(p.CheckpointWritten is null ? "" : $"  checkpoint {p.CheckpointWritten}")}");

    private static string Format(FinetuneValidation v, FinetuneConfig config)
    {
        var classes = v.ClassDice.Select((dice, i) => string.Create(
            CultureInfo.InvariantCulture, $"{(i + 1 < config.ClassNames.Count ? config.ClassNames[i + 1] : $"class {i + 1}")} {dice:F4}"));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"validation at step {v.Step}: mean Dice {v.MeanDice:F4}  ({string.Join("  ", classes)}){(v.IsBest ? "  new best" : "")}");
    }
}
