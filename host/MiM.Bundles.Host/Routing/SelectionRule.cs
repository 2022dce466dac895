using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MiM.Bundles.Host.Routing;

/// <summary>
/// One rule of a bundle's configs/selection.json, with MONAI Deploy's series-selector semantics: a string compares
/// case-insensitively, <c>in</c> takes any of a list, <c>all_matched</c> wants every listed value among the attribute's
/// values, <c>matches</c> is a regular expression searched in any value, <c>min</c>/<c>max</c> bound a number (both may
/// be given as two rules). <c>Orientation</c> compares the plane found within <c>tolerance</c> degrees (default 10).
/// </summary>
public sealed class SelectionRule
{
    private const double DefaultToleranceDegrees = 10;
    private readonly string _test;
    private readonly JsonElement _value;
    private readonly double _tolerance;
    private readonly Regex? _regex;

    private SelectionRule(string attribute, string test, JsonElement value, double tolerance)
    {
        Attribute = attribute;
        _test = test;
        _value = value.Clone();
        _tolerance = tolerance;
        _regex = test == "matches" ? new Regex(value.GetString()!, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) : null;
    }

    /// <summary>The DICOM keyword (or derived name) the rule tests.</summary>
    public string Attribute { get; }

    /// <summary>Reads one rule (the validator has already checked the shape).</summary>
    public static SelectionRule Parse(JsonElement rule)
    {
        var attribute = rule.GetProperty("attribute").GetString()!;
        var test = rule.EnumerateObject().First(p => p.Name is "equals" or "in" or "min" or "max" or "matches" or "all_matched");
        var tolerance = rule.TryGetProperty("tolerance", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : DefaultToleranceDegrees;
        return new SelectionRule(attribute, test.Name, test.Value, tolerance);
    }

    /// <summary>Null when <paramref name="series"/> passes, otherwise why not (the attribute, the test and the value found).</summary>
    public string? Refusal(SeriesAttributes series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var values = string.Equals(Attribute, SeriesAttributes.Orientation, StringComparison.OrdinalIgnoreCase)
            ? series.Plane(_tolerance) is { } plane ? [plane] : null
            : series.Values(Attribute);
        if (values is null || values.Count == 0 || values.All(string.IsNullOrWhiteSpace))
        {
            return $"{Attribute} is missing (rule: {Describe()})";
        }

        return Passes(values) ? null : $"{Attribute} is \"{string.Join('\\', values)}\" (rule: {Describe()})";
    }

    private bool Passes(IReadOnlyList<string> values) => _test switch
    {
        "equals" => values.Any(Equal(_value)),
        "in" => _value.EnumerateArray().Any(option => values.Any(Equal(option))),
        "all_matched" => _value.EnumerateArray().All(option => values.Any(Equal(option))),
        "matches" => values.Any(v => _regex!.IsMatch(v)),
        "min" => Number(values) is { } n && n >= _value.GetDouble(),
        "max" => Number(values) is { } n && n <= _value.GetDouble(),
        _ => false,
    };

    private static Func<string, bool> Equal(JsonElement expected) => expected.ValueKind == JsonValueKind.Number
        ? v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && Math.Abs(n - expected.GetDouble()) < 1e-9
        : v => string.Equals(v.Trim(), expected.GetString()?.Trim(), StringComparison.OrdinalIgnoreCase);

    private static double? Number(IReadOnlyList<string> values) =>
        double.TryParse(values[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    private string Describe() => _test is "min" or "max"
        ? $"{_test} {_value.GetRawText()}"
        : Attribute.Equals(SeriesAttributes.Orientation, StringComparison.OrdinalIgnoreCase)
            ? $"{_test} {_value.GetRawText()} within {_tolerance.ToString(CultureInfo.InvariantCulture)}°"
            : $"{_test} {_value.GetRawText()}";
}
