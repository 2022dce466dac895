using System.Text.RegularExpressions;

namespace MiM.Bundles.Packaging.Keys;

/// <summary>
/// The names a key id or bundle id may have: lower-case letters, digits, '.', '_' and '-', starting with a letter or
/// digit, at most 64 characters. Bundle ids become folder names, so nothing here can spell a path.
/// </summary>
public static partial class KeyId
{
    /// <summary>True when <paramref name="value"/> is a valid key or bundle id.</summary>
    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
