using System.Text.Json;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>
/// Writes a bundle folder: into a hidden sibling first, then configs, docs and LICENSE, the completion marker last, and
/// finally one rename to the target name, so a host watching the parent never sees a half-written bundle.
/// </summary>
internal sealed class BundleFolderWriter
{
    private readonly string _target;

    public BundleFolderWriter(string target)
    {
        _target = Path.GetFullPath(target);
        if (Directory.Exists(_target) || File.Exists(_target))
        {
            throw new IOException($"{_target} already exists; a bundle version is never overwritten (choose another --out)");
        }

        Folder = Path.Combine(Path.GetDirectoryName(_target)!, $".{Path.GetFileName(_target)}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(Folder, "configs"));
        Directory.CreateDirectory(Path.Combine(Folder, "models"));
        Directory.CreateDirectory(Path.Combine(Folder, "docs"));
    }

    /// <summary>The folder being written (renamed to the target by <see cref="Complete"/>).</summary>
    public string Folder { get; }

    /// <summary>A path inside the folder being written.</summary>
    public string PathOf(string relative) => BundleLayout.PathIn(Folder, relative);

    public void WriteJson(string relative, object value) =>
        File.WriteAllText(PathOf(relative), JsonSerializer.Serialize(value, BundleJson.Options) + "\n");

    public void WriteText(string relative, string text) => File.WriteAllText(PathOf(relative), text);

    public void WriteLicense(BundleAuthoring authoring)
    {
        if (authoring.LicenseFile is { } file)
        {
            File.Copy(file, PathOf(BundleLayout.License));
        }
        else
        {
            WriteText(BundleLayout.License, $"{authoring.License}\n\nCopyright {string.Join(", ", authoring.Authors)}.\n");
        }
    }

    /// <summary>Writes the completion marker and renames the folder to its target; returns the target.</summary>
    public string Complete()
    {
        CompletionMarker.Write(Folder);
        Directory.Move(Folder, _target);
        return _target;
    }

    /// <summary>Removes the partial folder after a failure.</summary>
    public void Abandon()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
