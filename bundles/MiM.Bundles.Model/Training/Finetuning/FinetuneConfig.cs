using System.Text.Json;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks.Downstream;

namespace MiM.Bundles.Model.Training.Finetuning;

/// <summary>Where the labelled cases come from and how training crops are drawn.</summary>
public sealed record FinetuneDataSettings
{
    /// <summary>An MSD <c>dataset.json</c> with image and label paths (relative to the working folder).</summary>
    public string Dataset { get; init; } = "";

    /// <summary>
    /// Labelled training cases: the first N entries of <c>training</c>; null = all entries not used for validation.
    /// </summary>
    public int? TrainingCases { get; init; }

    /// <summary>
    /// Held-out validation cases when dataset.json has no <c>validation</c> section: the last M entries of <c>training</c>
    /// (never among the first <see cref="TrainingCases"/>).
    /// </summary>
    public int ValidationCases { get; init; } = 1;

    /// <summary>
    /// Source label values that become output classes 1, 2, …, in order; every other value is background.
    /// Empty = the labels are used as they are (0..classes−1).
    /// </summary>
    public IReadOnlyList<int> Labels { get; init; } = [];

    /// <summary>
    /// Classification only: the per-case integer field of every dataset.json entry that holds the class
    /// (for example "lesion", as `mim phantom --lesion-fraction` writes it). Label maps are not read.
    /// </summary>
    public string? CaseLabel { get; init; }

    /// <summary>Seed of the initial weights and of every random choice (crop, flip, …) of every step.</summary>
    public ulong Seed { get; init; }

    /// <summary>Crops per optimiser step.</summary>
    public int BatchSize { get; init; } = 2;

    /// <summary>
    /// The training pipeline (transforms JSON with MONAI names, see configs/transforms): an inline pipeline object or the
    /// path of a pipeline file (relative to the recipe's folder). It must crop ROI³ windows with RandCropByPosNegLabel.
    /// </summary>
    public JsonElement? TrainingTransforms { get; init; }

    /// <summary>
    /// The validation pipeline (deterministic transforms only; inline or a file path relative to the recipe). It is also written into the model
    /// folder as the inference preprocessing, so `mim infer` prepares volumes exactly as validation did.
    /// </summary>
    public JsonElement? ValidationTransforms { get; init; }
}

/// <summary>How often and how the held-out cases are segmented during training.</summary>
public sealed record FinetuneValidationSettings
{
    /// <summary>Optimiser steps between validations (the last step always gets one).</summary>
    public int Every { get; init; } = 50;

    /// <summary>Sliding-window overlap, as a fraction of the ROI.</summary>
    public double Overlap { get; init; } = 0.5;

    /// <summary>Windows per forward pass.</summary>
    public int WindowBatch { get; init; } = 4;
}

/// <summary>A fine-tuning recipe, read from configs/finetune/NAME.json (same JSON conventions as pre-training recipes).</summary>
public sealed record FinetuneConfig
{
    /// <summary>Recipe name, shown in logs.</summary>
    public string Name { get; init; } = "custom";

    /// <summary>What the recipe trains: a segmentation network (default) or a classification network.</summary>
    public FinetuneTask Task { get; init; } = FinetuneTask.Segmentation;

    /// <summary>Backbone sizes (must match the pre-trained encoder's).</summary>
    public MimNetworkConfig Network { get; init; } = MimNetworkConfig.Full;

    /// <summary>Segmentation head: classes (background included), ROI, feature size, drop-path.</summary>
    public DownstreamOptions Downstream { get; init; } = new();

    /// <summary>Names of the output classes, background first (written into the model folder for `mim infer`).</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>
    /// Classification only: what each output class means, coded (SNOMED CT for the SR `mim dicom sr` writes), in class
    /// order; empty = the class names under the scheme "99MIM".
    /// </summary>
    public IReadOnlyList<Contracts.Results.CodedConcept> ClassCodes { get; init; } = [];

    /// <summary>Encoder initialisation: a pre-training run folder, checkpoint folder or .safetensors; null = random.</summary>
    public string? Pretrained { get; init; }

    /// <summary>Keep the encoder's weights fixed and train only the decoder.</summary>
    public bool FreezeEncoder { get; init; }

    /// <summary>AdamW and the warm-up cosine schedule (fine-tuning: β = (0.9, 0.999), weight decay 1e-5).</summary>
    public OptimizerSettings Optimizer { get; init; } = new() { LearningRate = 1e-4, Beta2 = 0.999, WeightDecay = 1e-5 };

    /// <summary>Labelled data.</summary>
    public FinetuneDataSettings Data { get; init; } = new();

    /// <summary>Validation during training.</summary>
    public FinetuneValidationSettings Validation { get; init; } = new();

    /// <summary>Run folder and checkpoint cadence.</summary>
    public OutputSettings Output { get; init; } = new() { Directory = "runs/finetune" };

    /// <summary>"cpu", "cuda" or "cuda:N" (one device).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>"fp32" (default), or on CUDA "bf16" or "fp16" (with loss scaling).</summary>
    public string Precision { get; init; } = "fp32";

    /// <summary>libtorch intra-op threads; 0 keeps libtorch's default.</summary>
    public int Threads { get; init; }

    /// <summary>Reads a recipe; errors name the file and the offending JSON path.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid recipe.</exception>
    public static FinetuneConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Fine-tuning config '{path}' does not exist.", path);
        }

        FinetuneConfig config;
        try
        {
            config = FromJson(File.ReadAllText(path));
            config.Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"Fine-tuning config '{path}': {e.Message}", e);
        }

        // Pipeline files ship next to the recipes, so a relative path is read from the recipe's folder.
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return config with
        {
            Data = config.Data with
            {
                TrainingTransforms = AgainstFolder(config.Data.TrainingTransforms, folder),
                ValidationTransforms = AgainstFolder(config.Data.ValidationTransforms, folder),
            },
        };
    }

    /// <summary>The recipe as JSON (stored inside every checkpoint).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, PretrainConfig.JsonOptions);

    /// <summary>Parses a recipe.</summary>
    /// <exception cref="JsonException">The text is not a recipe.</exception>
    public static FinetuneConfig FromJson(string json) =>
        JsonSerializer.Deserialize<FinetuneConfig>(json, PretrainConfig.JsonOptions) ?? throw new JsonException("Empty fine-tuning config.");

    private static JsonElement? AgainstFolder(JsonElement? entry, string folder) =>
        entry is { ValueKind: JsonValueKind.String } path && !Path.IsPathRooted(path.GetString())
            ? JsonSerializer.SerializeToElement(Path.GetFullPath(Path.Combine(folder, path.GetString()!)))
            : entry;

    /// <summary>Throws <see cref="ArgumentException"/> naming every inconsistent setting.</summary>
    public void Validate()
    {
        Downstream.Validate(Network);
        var problems = Optimizer.Problems().ToList();
        if (Optimizer.AccumulationSteps != 1)
        {
            problems.Add("optimizer.accumulationSteps must be 1 for fine-tuning (use data.batchSize)");
        }

        if (string.IsNullOrWhiteSpace(Data.Dataset))
        {
            problems.Add("data.dataset must name an MSD dataset.json");
        }

        if (Data.BatchSize < 1 || Data.ValidationCases < 1 || Data.TrainingCases is < 1)
        {
            problems.Add("data.batchSize, data.validationCases and data.trainingCases must be at least 1");
        }

        if (Task == FinetuneTask.Classification)
        {
            if (string.IsNullOrWhiteSpace(Data.CaseLabel))
            {
                problems.Add("data.caseLabel must name the per-case class field of the dataset.json entries (e.g. \"lesion\") for a classification recipe");
            }

            if (Data.Labels.Count > 0)
            {
                problems.Add("data.labels maps label-map values and has no meaning for a classification recipe");
            }

            if (Downstream.Classes < 2)
            {
                problems.Add("a classification recipe needs downstream.classes of at least 2");
            }

            if (ClassCodes.Count > 0 && ClassCodes.Count != Downstream.Classes)
            {
                problems.Add($"classCodes has {ClassCodes.Count} code(s) for {Downstream.Classes} classes");
            }
        }

        if (Data.Labels.Count > 0 && Data.Labels.Count != Downstream.Classes - 1)
        {
            problems.Add($"data.labels lists {Data.Labels.Count} label(s) but downstream.classes is {Downstream.Classes} (labels + background)");
        }

        if (ClassNames.Count > 0 && ClassNames.Count != Downstream.Classes)
        {
            problems.Add($"classNames has {ClassNames.Count} name(s) for {Downstream.Classes} classes");
        }

        if (Validation.Every < 1 || Validation.WindowBatch < 1 || Validation.Overlap is < 0 or >= 1)
        {
            problems.Add("validation.every and windowBatch must be at least 1 and overlap in [0, 1)");
        }

        problems.AddRange(Output.Problems());
        if (PretrainConfig.PrecisionProblem(Precision) is { } precision)
        {
            problems.Add(precision);
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems) + ".");
        }
    }
}
