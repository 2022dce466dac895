namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// Finds the bundle version folders in a bundle directory. Two layouts live side by side: a folder made by hand or by
/// `mim bundle new` directly under the directory (<c>&lt;bundles&gt;/bright-1/configs/…</c>), and what
/// `mim bundle install` and subscriptions write, <c>&lt;bundles&gt;/&lt;id&gt;/&lt;version&gt;/configs/…</c>. A
/// top-level folder with a <c>configs/</c> folder is a bundle; any other top-level folder is an id folder whose
/// sub-folders are versions. Hidden folders (<c>.staging/</c>, a bundle's <c>.mimb/</c>) are never bundles.
/// </summary>
public static class BundleFolders
{
    /// <summary>Every candidate bundle folder under <paramref name="directory"/>, full paths, sorted.</summary>
    public static IReadOnlyList<string> Enumerate(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var folders = new List<string>();
        foreach (var top in Visible(directory))
        {
            if (IsBundle(top))
            {
                folders.Add(top);
            }
            else
            {
                folders.AddRange(Visible(top));
            }
        }

        folders.Sort(StringComparer.Ordinal);
        return folders;
    }

    private static bool IsBundle(string folder) => Directory.Exists(Path.Combine(folder, "configs"));

    private static IEnumerable<string> Visible(string folder)
    {
        try
        {
            return [.. Directory.EnumerateDirectories(folder).Where(f => !Path.GetFileName(f).StartsWith('.')).Select(Path.GetFullPath)];
        }
        catch (DirectoryNotFoundException)
        {
            // Removed between listing its parent and listing it (an uninstall in progress).
            return [];
        }
    }
}
