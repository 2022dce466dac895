using MiM.Bundles.Contracts.Bundles;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// Validates a bundle folder and returns EVERY problem: missing or malformed files, metadata faults, unknown transforms
/// or parameters, unsupported contracts, unmet encoder requirements, weights that do not match the declared network.
/// </summary>
/// <param name="describer">Asks the bundle's kind which weights its network expects.</param>
public sealed class BundleValidator(IBundleDescriber describer)
{
    /// <summary>Validates <paramref name="folder"/>; <paramref name="knownEncoders"/> are the encoders a head may require.</summary>
    public BundleValidation Validate(string folder, IReadOnlyCollection<KnownEncoder> knownEncoders)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var problems = new List<BundleProblem>();
        if (!Directory.Exists(folder))
        {
            problems.Add(new(folder, "", "not a folder"));
            return new(folder, null, null, problems);
        }

        CompletionMarker.Validate(folder, problems);
        var metadata = MetadataReader.Read(folder, problems);
        if (metadata is not null)
        {
            MetadataValidator.Validate(metadata, knownEncoders, problems);
        }

        var inference = ConfigFile.Parse(folder, BundleLayout.Inference, problems);
        if (inference is { } root)
        {
            InferenceConfigValidator.Validate(root, problems);
        }

        if (ConfigFile.Parse(folder, BundleLayout.Selection, problems) is { } selection)
        {
            SelectionRulesValidator.Validate(selection, problems);
        }

        foreach (var required in new[] { BundleLayout.Readme, BundleLayout.License })
        {
            if (!File.Exists(BundleLayout.PathIn(folder, required)))
            {
                problems.Add(new(required, "", "missing"));
            }
        }

        var models = BundleLayout.PathIn(folder, BundleLayout.Models);
        if (!Directory.Exists(models) || !Directory.EnumerateFiles(models, "*.safetensors").Any())
        {
            problems.Add(new(BundleLayout.Models, "", "no *.safetensors weights"));
        }

        if (metadata?.Encoder is { } mode && inference is { } declared && declared.TryGetProperty("network_def", out var network)
            && network.ValueKind == System.Text.Json.JsonValueKind.Object && network.TryGetProperty("encoder", out var encoder) && encoder.GetString() != mode)
        {
            problems.Add(new(BundleLayout.Inference, "network_def.encoder", $"is \"{encoder.GetString()}\" but configs/metadata.json says \"{mode}\""));
        }

        if (metadata is { Kind: not null } && inference is { } config)
        {
            var description = describer.Describe(folder, metadata, config);
            problems.AddRange(description.Problems);
            WeightsValidator.Validate(folder, description.Weights, problems);
        }

        return new(folder, metadata, inference, problems);
    }
}
