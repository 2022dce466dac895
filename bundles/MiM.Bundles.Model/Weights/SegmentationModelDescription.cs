using System.Text.Json;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks.Downstream;

namespace MiM.Bundles.Model.Weights;

/// <summary>
/// The JSON half of a fine-tuned segmentation model folder (<see cref="SegmentationModelFolder"/>): what network to
/// build, what the classes are, and how to prepare a volume for it.
/// </summary>
public sealed record SegmentationModelDescription : IDownstreamModelDescription
{
    /// <summary>The format this code writes.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Format version of the folder.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>Backbone sizes.</summary>
    public required MimNetworkConfig Network { get; init; }

    /// <summary>Downstream options (classes, ROI, feature size, ViT-block options).</summary>
    public required DownstreamOptions Options { get; init; }

    /// <summary>Names of the output channels, background first; empty = "class N".</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>
    /// The inference preprocessing pipeline (the transforms JSON, MONAI names) inline, or null. When neither this nor
    /// <see cref="PreprocessingPath"/> is set, inference reorients to RAS and applies <see cref="HuMin"/>..<see cref="HuMax"/>.
    /// </summary>
    public JsonElement? Preprocessing { get; init; }

    /// <summary>A pipeline file, relative to the model folder, or null.</summary>
    public string? PreprocessingPath { get; init; }

    /// <summary>Lower HU bound of the intensity window (maps to 0); BTCV's −175 by default.</summary>
    public float HuMin { get; init; } = -175;

    /// <summary>Upper HU bound (maps to 1); BTCV's 250 by default.</summary>
    public float HuMax { get; init; } = 250;

    /// <summary>The name of output channel <paramref name="label"/>.</summary>
    public string ClassName(int label) =>
        label < ClassNames.Count ? ClassNames[label] : label == 0 ? "background" : $"class {label}";
}
