using System.Text.Json;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks.Downstream;

namespace MiM.Bundles.Model.Weights;

/// <summary>
/// The JSON half of a fine-tuned classification model folder (<see cref="ClassificationModelFolder"/>): what network to
/// build, what the classes mean, how to bring a whole volume to the network's ROI, and which run made it.
/// </summary>
public sealed record ClassificationModelDescription : IDownstreamModelDescription
{
    /// <summary>The format this code writes.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Format version of the folder.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>The model's name (the recipe's name), as a ClassificationResult names it.</summary>
    public string Name { get; init; } = "classifier";

    /// <summary>The model's version, as a ClassificationResult gives it: semantic, with the training step as build metadata.</summary>
    public string Version { get; init; } = "0.1.0";

    /// <summary>Backbone sizes.</summary>
    public required MimNetworkConfig Network { get; init; }

    /// <summary>Downstream options (classes, ROI, ViT-block options).</summary>
    public required DownstreamOptions Options { get; init; }

    /// <summary>Names of the classes in output order; empty = "class N".</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>What each class means, coded, in output order; empty = the names under the private scheme "99MIM".</summary>
    public IReadOnlyList<CodedConcept> ClassCodes { get; init; } = [];

    /// <summary>The inference preprocessing pipeline (transforms JSON): it must bring a whole volume to the ROI³.</summary>
    public required JsonElement Preprocessing { get; init; }

    /// <summary>The name of class <paramref name="index"/>.</summary>
    public string ClassName(int index) => index < ClassNames.Count ? ClassNames[index] : $"class {index}";

    /// <summary>The code of class <paramref name="index"/>: the recipe's, or its name under the private scheme "99MIM".</summary>
    public CodedConcept ClassCode(int index) =>
        index < ClassCodes.Count ? ClassCodes[index] : new CodedConcept(ClassName(index).Replace(' ', '_'), "99MIM", ClassName(index));
}
