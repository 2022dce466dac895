namespace MiM.Bundles.Model.Data;

/// <summary>Finds NIfTI files below a folder.</summary>
internal static class NiftiFolderScanner
{
    /// <summary>True when the name ends in .nii or .nii.gz (any case).</summary>
    public static bool IsNifti(string path) =>
        path.EndsWith(".nii", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Full paths of every NIfTI file below <paramref name="folder"/>, sorted ordinally so the order is the same on every
    /// machine. Folders whose name starts with "labels" (MSD's labelsTr/labelsTs) are skipped: label maps are not CT.
    /// </summary>
    public static IReadOnlyList<string> Scan(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive };
        var root = Path.GetFullPath(folder);
        var files = Directory.EnumerateFiles(root, "*", options)
            .Where(IsNifti)
            .Select(Path.GetFullPath)
            .Where(path => !InLabelFolder(root, path))
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static bool InLabelFolder(string root, string path) =>
        Path.GetRelativePath(root, Path.GetDirectoryName(path)!)
            .Split(Path.DirectorySeparatorChar)
            .Any(segment => segment.StartsWith("labels", StringComparison.OrdinalIgnoreCase));
}
