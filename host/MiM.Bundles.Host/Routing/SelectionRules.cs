using System.Text.Json;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Host.Routing;

/// <summary>A bundle's configs/selection.json: all of its rules must pass (<c>"match": "all"</c>, the default) or any one.</summary>
public sealed class SelectionRules
{
    private readonly IReadOnlyList<SelectionRule> _rules;
    private readonly bool _any;

    private SelectionRules(IReadOnlyList<SelectionRule> rules, bool any)
    {
        _rules = rules;
        _any = any;
    }

    /// <summary>Reads the selection rules of a bundle folder.</summary>
    /// <exception cref="FormatException">The file is missing or malformed (the catalog refuses such bundles first).</exception>
    public static SelectionRules Read(string bundleFolder)
    {
        var path = Path.Combine(bundleFolder, BundleLayout.Selection);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return Parse(document.RootElement);
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses a selection document.</summary>
    public static SelectionRules Parse(JsonElement root)
    {
        var any = root.TryGetProperty("match", out var match) && match.GetString() == "any";
        var rules = root.TryGetProperty("rules", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(SelectionRule.Parse).ToList()
            : [];
        return new SelectionRules(rules, any);
    }

    /// <summary>Null when the series is accepted; otherwise the reasons (every failing rule for "all", all of them for "any").</summary>
    public string? Refusal(SeriesAttributes series)
    {
        if (_rules.Count == 0)
        {
            return null;
        }

        var refusals = _rules.Select(r => r.Refusal(series)).ToList();
        if (_any)
        {
            return refusals.Any(r => r is null) ? null : "none of the rules passed: " + string.Join("; ", refusals);
        }

        var failed = refusals.Where(r => r is not null).ToList();
        return failed.Count == 0 ? null : string.Join("; ", failed);
    }
}
