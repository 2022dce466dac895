using System.Text.Json;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// <c>&lt;bundles&gt;/control.json</c>: the durable <see cref="SiteControl"/>. Written whole to a temporary file,
/// fsynced, then renamed over the old one, so a reader (the catalog on its next scan, which the rename's file-system
/// event also triggers; `mim bundle list` offline) sees the old or the new state, never half of one. A malformed file
/// (a hand edit gone wrong) is reported and not applied.
/// </summary>
public sealed class SiteControlFile
{
    /// <summary>The file's name in the bundle directory.</summary>
    public const string FileName = "control.json";

    private readonly Lock _writing = new();

    /// <summary>The control file of the bundle directory <paramref name="bundleDirectory"/>.</summary>
    public SiteControlFile(string bundleDirectory)
    {
        Directory = System.IO.Path.GetFullPath(bundleDirectory);
        Path = System.IO.Path.Combine(Directory, FileName);
    }

    /// <summary>The bundle directory.</summary>
    public string Directory { get; }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>The state on disk; <see cref="SiteControl.Empty"/> when there is no file.</summary>
    /// <exception cref="FormatException">The file is not a readable control file.</exception>
    public SiteControl Read()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return SiteControl.Empty;
        }

        try
        {
            var control = JsonSerializer.Deserialize<SiteControl>(bytes, BundleJson.Options);
            return control is { Format: SiteControl.CurrentFormat, Pins: not null, Unloaded: not null, Refused: not null, Shadows: not null }
                ? control
                : throw new FormatException($"{Path} is not a {SiteControl.CurrentFormat} document");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{Path} is malformed: {e.Message}", e);
        }
    }

    /// <summary>Reads, applies <paramref name="change"/> and writes the result atomically; returns it.</summary>
    public SiteControl Update(Func<SiteControl, SiteControl> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_writing)
        {
            var next = change(Read());
            Write(next);
            return next;
        }
    }

    private void Write(SiteControl control)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = System.IO.Path.Combine(Directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, control, BundleJson.Options);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
