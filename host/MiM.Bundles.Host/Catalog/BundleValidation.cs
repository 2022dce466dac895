using System.Text.Json;
using MiM.Bundles.Contracts.Bundles;

namespace MiM.Bundles.Host.Catalog;

/// <summary>The outcome of validating one bundle folder: what could be read and every problem found.</summary>
/// <param name="Folder">The bundle folder.</param>
/// <param name="Metadata">configs/metadata.json, when it could be read.</param>
/// <param name="Inference">configs/inference.json's root, when it could be read.</param>
/// <param name="Problems">Every problem, each naming its file and field; empty when servable.</param>
public sealed record BundleValidation(string Folder, BundleMetadata? Metadata, JsonElement? Inference, IReadOnlyList<BundleProblem> Problems)
{
    /// <summary>True when nothing prevents serving the bundle.</summary>
    public bool IsServable => Problems.Count == 0;
}
