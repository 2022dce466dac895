using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace MiM.Bundles.Contracts.Bundles;

/// <summary>What the host gives a bundle: where it lives, what it is, where to run and how to report.</summary>
/// <param name="Folder">The bundle's own folder (configs/, models/, lib/, docs/); read-only to the bundle.</param>
/// <param name="Id">The bundle id from metadata.json.</param>
/// <param name="Version">The bundle's semantic version from metadata.json.</param>
/// <param name="Kind">Which of the provider's kinds this bundle is.</param>
/// <param name="Device">Where to run: "cpu", "cuda", "cuda:N" (TorchSharp's device strings); "cpu" when only validating.</param>
/// <param name="Logger">The bundle's logger. Never log patient data through it.</param>
/// <param name="Inference">The root object of configs/inference.json (network_def, preprocessing, inferer, postprocessing).</param>
public sealed record BundleContext(
    string Folder,
    string Id,
    string Version,
    string Kind,
    string Device,
    ILogger Logger,
    JsonElement Inference)
{
    /// <summary>The path of a file of the bundle, from its folder-relative path ("models/head.safetensors").</summary>
    public string PathOf(string relative) => System.IO.Path.Combine(Folder, relative);
}
