using System.Text.Json;
using System.Text.Json.Serialization;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Masking;

namespace MiM.Bundles.Model.Training;

/// <summary>AdamW and learning-rate schedule settings (MIM_SPEC.md section 5).</summary>
public sealed record OptimizerSettings
{
    /// <summary>Peak learning rate after warm-up (the paper: 1e-4 · effective batch / 256).</summary>
    public double LearningRate { get; init; } = 2e-4;

    /// <summary>Learning rate at the end of the half cosine.</summary>
    public double MinLearningRate { get; init; }

    /// <summary>AdamW β₁.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β₂.</summary>
    public double Beta2 { get; init; } = 0.95;

    /// <summary>Decoupled weight decay, not applied to biases and other 1-D parameters.</summary>
    public double WeightDecay { get; init; } = 0.05;

    /// <summary>Optimiser steps of linear warm-up.</summary>
    public long WarmupSteps { get; init; } = 10;

    /// <summary>Optimiser steps in the run.</summary>
    public long TotalSteps { get; init; } = 100;

    /// <summary>Crops whose gradients are summed before each optimiser step.</summary>
    public int AccumulationSteps { get; init; } = 1;

    /// <summary>
    /// The largest global L2 norm of the gradients an update may use (larger ones are scaled down to it), or null for no
    /// clipping (the released pre-training recipe's choice). A small fine-tune on few cases needs it: one outsized step
    /// can turn every token into the same vector, after which nothing reaches the encoder again.
    /// </summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>Every inconsistent setting, as recipe paths (empty when valid).</summary>
    public IEnumerable<string> Problems()
    {
        if (TotalSteps < 1)
        {
            yield return "optimizer.totalSteps must be at least 1";
        }

        if (WarmupSteps < 0 || WarmupSteps > TotalSteps)
        {
            yield return "optimizer.warmupSteps must be between 0 and totalSteps";
        }

        if (AccumulationSteps < 1)
        {
            yield return "optimizer.accumulationSteps must be at least 1";
        }

        if (!(LearningRate > 0))
        {
            yield return "optimizer.learningRate must be positive";
        }

        if (GradientClipNorm is { } clip && !(clip > 0))
        {
            yield return "optimizer.gradientClipNorm must be positive when set";
        }
    }
}

/// <summary>Where the training volumes come from and how they are read.</summary>
public sealed record DataSettings
{
    /// <summary>A folder of NIfTI files, a text file listing them, or an MSD dataset.json (relative to the working folder).</summary>
    public string Source { get; init; } = "";

    /// <summary>Seed of every random choice (volume, crop, masks) and of the initial weights.</summary>
    public ulong Seed { get; init; }

    /// <summary>Crops prepared ahead of the training loop by the background loader.</summary>
    public int Prefetch { get; init; } = 4;
}

/// <summary>What a run writes and how often.</summary>
public sealed record OutputSettings
{
    /// <summary>Run folder: metrics.csv, loss.png, checkpoints/ (relative to the working folder).</summary>
    public string Directory { get; init; } = "runs/pretrain";

    /// <summary>Optimiser steps between checkpoints (the last step always gets one).</summary>
    public int CheckpointEvery { get; init; } = 100;

    /// <summary>Optimiser steps between progress lines.</summary>
    public int LogEvery { get; init; } = 1;

    /// <summary>How many of the newest checkpoints to keep.</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>Every inconsistent setting, as recipe paths (empty when valid).</summary>
    public IEnumerable<string> Problems()
    {
        if (CheckpointEvery < 1 || LogEvery < 1 || KeepCheckpoints < 1)
        {
            yield return "output.checkpointEvery, logEvery and keepCheckpoints must be at least 1";
        }
    }
}

/// <summary>A pre-training recipe, read from configs/pretrain/NAME.json.</summary>
public sealed record PretrainConfig
{
    /// <summary>The JSON conventions of recipes and of the model.json written next to final weights.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Recipe name, shown in logs.</summary>
    public string Name { get; init; } = "custom";

    /// <summary>Backbone and decoder sizes.</summary>
    public MimNetworkConfig Network { get; init; } = MimNetworkConfig.Full;

    /// <summary>Levels, counts and ratios of the mask-in-mask sampler.</summary>
    public MaskInMaskConfig Masking { get; init; } = new();

    /// <summary>Loss weights and level schedule.</summary>
    public LossWeights Loss { get; init; } = new();

    /// <summary>Optimiser and learning-rate schedule.</summary>
    public OptimizerSettings Optimizer { get; init; } = new();

    /// <summary>Training data.</summary>
    public DataSettings Data { get; init; } = new();

    /// <summary>Outputs.</summary>
    public OutputSettings Output { get; init; } = new();

    /// <summary>"cpu", "cuda" or "cuda:N"; several devices as "cuda:0,1".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>"fp32" (default), or on CUDA "bf16" or "fp16" (with loss scaling): the compute precision; weights stay fp32.</summary>
    public string Precision { get; init; } = "fp32";

    /// <summary>libtorch intra-op threads; 0 keeps libtorch's default.</summary>
    public int Threads { get; init; }

    /// <summary>Edge of the level-1 crop (twice the network input).</summary>
    [JsonIgnore]
    public int CropSize => 2 * Network.InputSize;

    /// <summary>Reads a recipe; errors name the file and the offending JSON path.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid recipe.</exception>
    public static PretrainConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Pre-training config '{path}' does not exist.", path);
        }

        PretrainConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<PretrainConfig>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Pre-training config '{path}': {e.Message}", e);
        }

        if (config is null)
        {
            throw new InvalidDataException($"Pre-training config '{path}' is empty.");
        }

        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Pre-training config '{path}': {e.Message}", e);
        }

        return config;
    }

    /// <summary>The recipe as JSON (stored inside every checkpoint).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses a recipe stored by <see cref="ToJson"/>.</summary>
    public static PretrainConfig FromJson(string json) =>
        JsonSerializer.Deserialize<PretrainConfig>(json, JsonOptions) ?? throw new InvalidDataException("Empty config JSON.");

    /// <summary>Why a recipe's <c>precision</c> is not understood, or null when it is.</summary>
    public static string? PrecisionProblem(string precision) =>
        precision is "fp32" or "bf16" or "fp16" ? null : $"precision must be fp32, bf16 or fp16, was '{precision}'";

    /// <summary>Throws <see cref="ArgumentException"/> naming every inconsistent setting.</summary>
    public void Validate()
    {
        Network.Validate();
        Masking.Validate(Network);
        var problems = Optimizer.Problems().ToList();
        if (string.IsNullOrWhiteSpace(Data.Source))
        {
            problems.Add("data.source must name a folder, a list file or a dataset.json");
        }

        problems.AddRange(Output.Problems());
        if (PrecisionProblem(Precision) is { } precision)
        {
            problems.Add(precision);
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems) + ".");
        }
    }
}
