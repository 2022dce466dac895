using System.Globalization;
using System.Text.Json;
using MiM.Bundles.Model.Weights;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Checkpoints;

/// <summary>
/// Training checkpoints of one run: <c>checkpoints/step_NNNNNNN/</c> with <c>model.safetensors</c> (the authors'
/// parameter names), <c>optimizer.bin</c> and <c>state.json</c>, plus a <c>latest</c> file naming the newest
/// complete one. A checkpoint is written into a temporary folder and renamed when complete, and <c>latest</c> is
/// replaced only after that, so a run killed mid-write resumes from the previous checkpoint.
/// </summary>
public sealed class CheckpointStore(string runDirectory, int keep)
{
    /// <summary>Weights file name inside a checkpoint folder.</summary>
    public const string ModelFile = "model.safetensors";

    private const string OptimizerFile = "optimizer.bin";
    private const string StateFile = "state.json";
    private const string LatestFile = "latest";

    /// <summary>The folder holding every checkpoint.</summary>
    public string Directory { get; } = Path.Combine(runDirectory, "checkpoints");

    /// <summary>Writes a checkpoint and returns its folder.</summary>
    public string Save(nn.Module model, OptimizerHelper optimizer, CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(state);
        System.IO.Directory.CreateDirectory(Directory);
        var name = string.Create(CultureInfo.InvariantCulture, $"step_{state.Step:D7}");
        var final = Path.Combine(Directory, name);
        var temp = final + ".partial";
        if (System.IO.Directory.Exists(temp))
        {
            System.IO.Directory.Delete(temp, recursive: true);
        }

        System.IO.Directory.CreateDirectory(temp);
        MimWeights.Save(model, Path.Combine(temp, ModelFile));
        optimizer.save_state_dict(Path.Combine(temp, OptimizerFile));
        File.WriteAllText(Path.Combine(temp, StateFile), JsonSerializer.Serialize(state));
        if (System.IO.Directory.Exists(final))
        {
            System.IO.Directory.Delete(final, recursive: true);
        }

        System.IO.Directory.Move(temp, final);
        WriteLatest(name);
        Prune();
        return final;
    }

    /// <summary>The newest complete checkpoint folder, or null when the run has none.</summary>
    public string? Latest()
    {
        var latest = Path.Combine(Directory, LatestFile);
        if (!File.Exists(latest))
        {
            return null;
        }

        var folder = Path.Combine(Directory, File.ReadAllText(latest).Trim());
        return System.IO.Directory.Exists(folder) ? folder : null;
    }

    /// <summary>
    /// The checkpoint a run starts from: the newest one when <paramref name="resume"/> is set (null when there is none),
    /// null for a new run.
    /// </summary>
    /// <param name="resume">Whether the caller asked to continue the run.</param>
    /// <param name="runSetting">The recipe's run folder as written, for the message.</param>
    /// <exception cref="InvalidOperationException">The folder already holds checkpoints and <paramref name="resume"/> is false.</exception>
    public string? StartingPoint(bool resume, string runSetting)
    {
        var latest = Latest();
        if (!resume && latest is not null)
        {
            throw new InvalidOperationException(
                $"The run folder '{runSetting}' already holds checkpoints (newest: {latest}). "
                + "Pass --resume to continue that run, or set output.directory to a new folder.");
        }

        return latest;
    }

    /// <summary>Loads weights and optimiser state from <paramref name="folder"/> and returns its state.</summary>
    /// <exception cref="WeightMismatchException">The checkpoint's tensors do not match the model.</exception>
    public static CheckpointState Load(string folder, nn.Module model, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        MimWeights.Load(model, Path.Combine(folder, ModelFile));
        optimizer.load_state_dict(Path.Combine(folder, OptimizerFile));
        return ReadState(folder);
    }

    /// <summary>The state stored in a checkpoint folder.</summary>
    public static CheckpointState ReadState(string folder) =>
        JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(folder, StateFile)))
        ?? throw new InvalidDataException($"Checkpoint '{folder}' has an empty {StateFile}.");

    private void WriteLatest(string name)
    {
        var latest = Path.Combine(Directory, LatestFile);
        var temp = latest + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(name);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, latest, overwrite: true);
    }

    private void Prune()
    {
        var complete = System.IO.Directory.GetDirectories(Directory, "step_*")
            .Where(d => !d.EndsWith(".partial", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var old in complete.Take(Math.Max(0, complete.Count - keep)))
        {
            System.IO.Directory.Delete(old, recursive: true);
        }
    }
}
