using System.Globalization;
using System.Text.Json;

namespace MiM.Bundles.Imaging.Transforms.Configuration;

/// <summary>
/// The parameters of one transform in a pipeline file, read by name with MONAI's spellings. Every read registers the
/// key as known, so <see cref="RejectUnknown"/> can list what the transform accepts when a key is misspelt.
/// </summary>
public sealed class TransformParameters
{
    private readonly JsonElement element;
    private readonly List<string> known = ["name", "keys"];

    /// <summary>Wraps the JSON object of transform number <paramref name="index"/> named <paramref name="name"/>.</summary>
    public TransformParameters(JsonElement element, int index, string name)
    {
        this.element = element;
        Index = index;
        Name = name;
    }

    /// <summary>The transform's position in the pipeline (0-based, as in <c>transforms[i]</c>).</summary>
    public int Index { get; }

    /// <summary>The transform's name as written.</summary>
    public string Name { get; }

    /// <summary>A string, or null when absent.</summary>
    public string? OptionalString(string key) =>
        Find(key) is { } value
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid(key, "a string", value)
            : null;

    /// <summary>A number, or null when absent.</summary>
    public double? OptionalNumber(string key) =>
        Find(key) is { } value ? Number(key, value, "a number") : null;

    /// <summary>A number that must be present.</summary>
    public double RequiredNumber(string key) => OptionalNumber(key) ?? throw Missing(key, "a number");

    /// <summary>A whole number, or null when absent.</summary>
    public int? OptionalInt(string key) =>
        Find(key) is { } value ? Whole(key, value, "a whole number") : null;

    /// <summary>true or false, or null when absent.</summary>
    public bool? OptionalBool(string key) =>
        Find(key) is { } value
            ? value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Invalid(key, "true or false", value),
            }
            : null;

    /// <summary>A number (used for every entry) or an array of <paramref name="count"/> numbers, or null when absent.</summary>
    public double[]? OptionalNumbers(string key, int count) =>
        Repeated(key, count, $"a number or an array of {count} numbers", Number);

    /// <summary>A whole number (used for every entry) or an array of <paramref name="count"/> whole numbers, or null when absent.</summary>
    public int[]? OptionalInts(string key, int count) =>
        Repeated(key, count, $"a whole number or an array of {count} whole numbers", Whole);

    /// <summary>A whole number or an array of any length of whole numbers, or null when absent (or JSON null).</summary>
    public int[]? OptionalIntList(string key)
    {
        const string expected = "a whole number, an array of whole numbers, or null";
        return Find(key) is not { } value || value.ValueKind == JsonValueKind.Null ? null
            : value.ValueKind == JsonValueKind.Array
                ? [.. value.EnumerateArray().Select(v => Whole(key, v, expected))]
                : [Whole(key, value, expected)];
    }

    /// <summary>A string or an array of strings, or null when absent.</summary>
    public string[]? OptionalStrings(string key)
    {
        const string expected = "a string or an array of strings";
        return Find(key) is not { } value ? null
            : value.ValueKind == JsonValueKind.Array
                ? [.. value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Invalid(key, expected, value))]
                : value.ValueKind == JsonValueKind.String ? [value.GetString()!] : throw Invalid(key, expected, value);
    }

    /// <summary>True when <paramref name="key"/> is present and holds an array.</summary>
    public bool IsArray(string key) => Find(key) is { ValueKind: JsonValueKind.Array };

    /// <summary>An error about <paramref name="key"/>'s value, naming the transform and what was expected.</summary>
    public TransformConfigException Invalid(string key, string expected, JsonElement? actual = null) =>
        new($"{Where}: parameter \"{key}\" must be {expected}" + (actual is { } a ? $", was {a.GetRawText()}." : "."));

    /// <summary>An error for a required key that is absent.</summary>
    public TransformConfigException Missing(string key, string expected)
    {
        // A missing required key is often a misspelt one: name what was given instead.
        var unknown = element.EnumerateObject().Select(p => p.Name).Where(n => !known.Contains(n, StringComparer.Ordinal)).ToArray();
        var hint = unknown.Length == 0 ? string.Empty : $"; unknown parameter {string.Join(", ", unknown.Select(n => $"\"{n}\""))} given";
        return new($"{Where}: parameter \"{key}\" is required ({expected}){hint}.");
    }

    /// <summary>Throws when the object holds a key no read asked for, listing the keys this transform accepts.</summary>
    /// <exception cref="TransformConfigException">There is an unknown key.</exception>
    public void RejectUnknown()
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new TransformConfigException(
                    $"{Where}: unknown parameter \"{property.Name}\"; {Name} accepts {string.Join(", ", known.Select(k => $"\"{k}\""))}.");
            }
        }
    }

    private string Where => $"transforms[{Index}] \"{Name}\"";

    private JsonElement? Find(string key)
    {
        if (!known.Contains(key, StringComparer.Ordinal))
        {
            known.Add(key);
        }

        return element.TryGetProperty(key, out var value) ? value : null;
    }

    private T[]? Repeated<T>(string key, int count, string expected, Func<string, JsonElement, string, T> read) =>
        Find(key) is not { } value ? null
            : value.ValueKind == JsonValueKind.Array
                ? value.GetArrayLength() == count ? [.. value.EnumerateArray().Select(v => read(key, v, expected))] : throw Invalid(key, expected, value)
                : [.. Enumerable.Repeat(read(key, value, expected), count)];

    private double Number(string key, JsonElement value, string expected) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw Invalid(key, expected, value);

    private int Whole(string key, JsonElement value, string expected)
    {
        var number = Number(key, value, expected);
        return number == Math.Floor(number) && Math.Abs(number) <= int.MaxValue
            ? (int)number
            : throw Invalid(key, expected, value);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Where} {element.GetRawText()}");
}
