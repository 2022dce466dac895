namespace MiM.Bundles.Model.Data;

/// <summary>Reads a text file that lists one image path per line.</summary>
internal static class ImageListReader
{
    /// <summary>
    /// The listed paths, made absolute against the list's folder, in file order. Blank lines and lines whose first
    /// non-blank character is <c>#</c> are ignored; surrounding whitespace is trimmed.
    /// </summary>
    public static IReadOnlyList<string> ReadImagePaths(string listPath)
    {
        var folder = Path.GetDirectoryName(listPath) ?? ".";
        var files = new List<string>();
        foreach (var raw in File.ReadLines(listPath))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            files.Add(Path.GetFullPath(Path.Combine(folder, line)));
        }

        return files;
    }
}
