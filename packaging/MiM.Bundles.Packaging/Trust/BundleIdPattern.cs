namespace MiM.Bundles.Packaging.Trust;

/// <summary>
/// Which bundle ids a publisher may sign: an exact id, or a glob where '*' stands for any run of characters
/// ("acme-*", "*"). Nothing else is special, so a pattern cannot be read two ways.
/// </summary>
public sealed class BundleIdPattern
{
    private readonly string[] parts;

    /// <summary>Parses <paramref name="pattern"/>.</summary>
    public BundleIdPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        Text = pattern;
        parts = pattern.Split('*');
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>True when <paramref name="bundleId"/> matches.</summary>
    public bool Matches(string bundleId)
    {
        if (parts.Length == 1)
        {
            return string.Equals(bundleId, Text, StringComparison.Ordinal);
        }

        if (!bundleId.StartsWith(parts[0], StringComparison.Ordinal) || !bundleId.EndsWith(parts[^1], StringComparison.Ordinal)
            || bundleId.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }

        // Greedy left-to-right for the middle parts is exact for globs with only '*'.
        var position = parts[0].Length;
        var end = bundleId.Length - parts[^1].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = bundleId.IndexOf(parts[i], position, end - position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + parts[i].Length;
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
