namespace MiM.Bundles.Packaging.Archives;

/// <summary>One file of a bundle as the manifest lists it.</summary>
/// <param name="Path">Relative to the bundle root, '/'-separated.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of its bytes.</param>
public sealed record ManifestFile(string Path, long Size, string Sha256);
