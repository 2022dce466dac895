using MiM.Bundles.Packaging.Refusals;

namespace MiM.Bundles.Packaging.Archives;

/// <summary>
/// The one rule for names inside an archive and a manifest: relative, '/'-separated, no empty, "." or ".." segment,
/// no backslash, colon or control character, at most 1024 characters. A name that passes cannot leave the folder it is
/// joined to on Linux, macOS or Windows.
/// </summary>
public static class ArchivePath
{
    private const int MaxLength = 1024;

    /// <summary>Refuses <paramref name="path"/> with <see cref="RefusalReason.UnsafePath"/> unless it is a safe relative name.</summary>
    public static void Require(string path)
    {
        if (Problem(path) is { } problem)
        {
            throw new BundleRefusedException(RefusalReason.UnsafePath, $"unsafe path '{Printable(path)}': {problem}");
        }
    }

    /// <summary>True when <paramref name="path"/> is a safe relative name.</summary>
    public static bool IsSafe(string path) => Problem(path) is null;

    private static string? Problem(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "empty";
        }

        if (path.Length > MaxLength)
        {
            return "longer than 1024 characters";
        }

        if (path[0] == '/')
        {
            return "absolute";
        }

        foreach (var c in path)
        {
            if (c == '\\' || c == ':' || char.IsControl(c))
            {
                return "backslash, colon or control character";
            }
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                return "empty, '.' or '..' segment";
            }
        }

        return null;
    }

    private static string Printable(string path) =>
        new(path.Take(200).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
