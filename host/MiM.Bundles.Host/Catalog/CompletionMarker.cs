using System.Security.Cryptography;
using System.Text.Json;
using MiM.Bundles.Contracts.Bundles;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// How a bundle folder says it is complete: <c>bundle-complete.json</c>, written last (to a temporary name, then
/// renamed) by whatever makes the folder, lists every other file with its size and SHA-256. The host loads a folder
/// only when the marker exists and every listed file has its listed size; a copy that wrote the marker early
/// (<c>cp -r</c> copies in directory order) is therefore still seen as incomplete. Validation also checks the hashes.
/// </summary>
public static class CompletionMarker
{
    /// <summary>Writes the marker for the files now in <paramref name="folder"/>.</summary>
    public static void Write(string folder)
    {
        var files = new SortedDictionary<string, MarkedFile>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
            if (relative == BundleLayout.CompleteMarker || relative.EndsWith(".tmp", StringComparison.Ordinal))
            {
                continue;
            }

            files[relative] = new MarkedFile(new FileInfo(path).Length, Hash(path));
        }

        var marker = Path.Combine(folder, BundleLayout.CompleteMarker);
        var temporary = marker + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new MarkerFile(files), BundleJson.Options));
        File.Move(temporary, marker, overwrite: true);
    }

    /// <summary>
    /// True when the marker exists, parses, and every file it lists exists with its size (no hashing: cheap enough to
    /// poll); or when the folder was installed from a signed archive (<c>.mimb/manifest.json</c>): the installer renames
    /// a finished folder into place, so it is complete by construction, and the signed manifest is checked on load.
    /// </summary>
    public static bool IsComplete(string folder)
    {
        if (IsInstalled(folder))
        {
            // Complete once renamed into place, whatever its marker says: a file changed since must be refused on load, not ignored.
            return true;
        }

        var marker = Read(folder);
        return marker is not null && marker.Files.All(f => Size(folder, f.Key) == f.Value.Size);
    }

    /// <summary>Adds a problem for a missing or unreadable marker and for every file whose size or hash differs from it.</summary>
    public static void Validate(string folder, ICollection<BundleProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (!File.Exists(Path.Combine(folder, BundleLayout.CompleteMarker)))
        {
            if (IsInstalled(folder))
            {
                return; // the signed manifest stands for the marker (BundleCatalog verifies it on load)
            }

            problems.Add(new(BundleLayout.CompleteMarker, "", "missing: the folder is not marked complete (written last by `mim bundle new` or install)"));
            return;
        }

        if (Read(folder) is not { } marker)
        {
            problems.Add(new(BundleLayout.CompleteMarker, "", "malformed"));
            return;
        }

        foreach (var (relative, expected) in marker.Files)
        {
            var path = BundleLayout.PathIn(folder, relative);
            if (!File.Exists(path))
            {
                problems.Add(new(BundleLayout.CompleteMarker, relative, "listed but missing"));
            }
            else if (new FileInfo(path).Length != expected.Size || !string.Equals(Hash(path), expected.Sha256, StringComparison.Ordinal))
            {
                problems.Add(new(BundleLayout.CompleteMarker, relative, "changed since the folder was marked complete (size or SHA-256 differs)"));
            }
        }
    }

    /// <summary>True when <paramref name="folder"/> was installed from a signed archive (it holds <c>.mimb/manifest.json</c>).</summary>
    public static bool IsInstalled(string folder) => File.Exists(Path.Combine(folder, ".mimb", "manifest.json"));

    private static MarkerFile? Read(string folder)
    {
        var path = Path.Combine(folder, BundleLayout.CompleteMarker);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<MarkerFile>(File.ReadAllText(path), BundleJson.Options) is { Files: not null } m ? m : null : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    private static long Size(string folder, string relative)
    {
        var info = new FileInfo(BundleLayout.PathIn(folder, relative));
        return info.Exists ? info.Length : -1;
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private sealed record MarkerFile(IReadOnlyDictionary<string, MarkedFile> Files);

    private sealed record MarkedFile(long Size, string Sha256);
}
