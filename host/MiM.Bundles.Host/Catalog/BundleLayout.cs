namespace MiM.Bundles.Host.Catalog;

/// <summary>The fixed paths inside a bundle folder (MONAI-bundle style), relative to the folder.</summary>
public static class BundleLayout
{
    /// <summary>Id, version, changelog, task, authors, licence, requirements, data formats, intended use.</summary>
    public const string Metadata = "configs/metadata.json";

    /// <summary>Network definition, preprocessing transforms, inferer, post-processing.</summary>
    public const string Inference = "configs/inference.json";

    /// <summary>Which series the bundle accepts.</summary>
    public const string Selection = "configs/selection.json";

    /// <summary>Weights, PyTorch-named safetensors.</summary>
    public const string Models = "models";

    /// <summary>Optional plugin code: a bundle whose kind is not built in brings its assemblies here.</summary>
    public const string Lib = "lib";

    /// <summary>The bundle's documentation for users.</summary>
    public const string Readme = "docs/README.md";

    /// <summary>The licence text.</summary>
    public const string License = "LICENSE";

    /// <summary>Written last by whatever makes the folder: lists every file with its size and SHA-256 (<see cref="CompletionMarker"/>).</summary>
    public const string CompleteMarker = "bundle-complete.json";

    /// <summary>A path of the layout (forward slashes) as a path under <paramref name="folder"/>.</summary>
    public static string PathIn(string folder, string relative) =>
        Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar));
}
