namespace MiM.Bundles.Packaging.Archives;

/// <summary>
/// Where things are in a .mimb zip: manifest.json and manifest.sig at the top, and the bundle's files under one root
/// folder named after the bundle id. An installed bundle keeps the same two documents in its .mimb/ folder.
/// </summary>
public static class ArchiveLayout
{
    /// <summary>The manifest's entry name.</summary>
    public const string ManifestEntry = "manifest.json";

    /// <summary>The detached signature's entry name.</summary>
    public const string SignatureEntry = "manifest.sig";

    /// <summary>The folder of an installed bundle that holds the manifest and signature it was installed from.</summary>
    public const string InstalledStateFolder = ".mimb";

    /// <summary>The bundle's metadata file, relative to the bundle root.</summary>
    public const string MetadataPath = "configs/metadata.json";

    /// <summary>The file extension of bundle archives.</summary>
    public const string Extension = ".mimb";
}
