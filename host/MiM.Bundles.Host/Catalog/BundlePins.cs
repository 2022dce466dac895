using Semver;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// Which versions of a bundle id the host may serve, from configuration ("Bundles:Pins": {"phantom-liver": "1.2.0"} or
/// {"phantom-liver": "^1.2"}): an exact version or an npm-style range. Without a pin every version may serve; the
/// highest allowed version that warmed up serves.
/// </summary>
public sealed class BundlePins
{
    private readonly Dictionary<string, SemVersionRange> _ranges = new(StringComparer.Ordinal);

    /// <summary>Pins from id → version or range.</summary>
    /// <exception cref="FormatException">A pin is neither a version nor a range.</exception>
    public BundlePins(IReadOnlyDictionary<string, string>? pins = null)
    {
        foreach (var (id, text) in pins ?? new Dictionary<string, string>())
        {
            _ranges[id] = SemVersionRange.TryParseNpm(text, out var range)
                ? range
                : throw new FormatException($"pin of {id}: \"{text}\" is neither a version nor a range");
        }
    }

    /// <summary>Every id pinned, with its pin as written.</summary>
    public IReadOnlyDictionary<string, string> All => _ranges.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    /// <summary>These pins with <paramref name="overrides"/> laid over them: a pin given there replaces this one for its id.</summary>
    /// <exception cref="FormatException">An override is neither a version nor a range.</exception>
    public BundlePins With(IReadOnlyDictionary<string, string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var merged = All.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (id, text) in overrides)
        {
            merged[id] = text;
        }

        return new BundlePins(merged);
    }

    /// <summary>True when <paramref name="text"/> is a version or npm-style range a pin may hold.</summary>
    public static bool IsValid(string text) => SemVersionRange.TryParseNpm(text, out _);

    /// <summary>No pins.</summary>
    public static BundlePins None { get; } = new();

    /// <summary>True when <paramref name="version"/> of <paramref name="id"/> may serve.</summary>
    public bool Allows(string id, SemVersion version) => !_ranges.TryGetValue(id, out var range) || version.Satisfies(range);

    /// <summary>The pin of <paramref name="id"/> as written, or null.</summary>
    public string? PinOf(string id) => _ranges.TryGetValue(id, out var range) ? range.ToString() : null;
}
