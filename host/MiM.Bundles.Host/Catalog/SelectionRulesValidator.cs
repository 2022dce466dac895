using System.Text.Json;
using MiM.Bundles.Contracts.Bundles;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// Checks the format of configs/selection.json (docs/bundles.md, "Selection rules"):
/// <c>{"match": "all"|"any", "rules": [{"attribute": "Modality", "equals": "CT"}, …]}</c>, each rule naming a DICOM
/// attribute keyword (or a derived one such as "NumberOfSlices", "Orientation", "Contrast") and exactly one test: equals,
/// in, all_matched, min, max or matches; an Orientation rule may add "tolerance" (degrees). Routing/SelectionRules applies them.
/// </summary>
public static class SelectionRulesValidator
{
    private const string File = BundleLayout.Selection;
    private static readonly string[] Tests = ["equals", "in", "all_matched", "min", "max", "matches"];
    private static readonly string[] Modifiers = ["attribute", "tolerance"];

    /// <summary>Adds a problem for every fault of the selection config <paramref name="root"/>.</summary>
    public static void Validate(JsonElement root, ICollection<BundleProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (root.TryGetProperty("match", out var match) && match.GetString() is not ("all" or "any"))
        {
            problems.Add(new(File, "match", "must be \"all\" or \"any\""));
        }

        if (!root.TryGetProperty("rules", out var rules) || rules.ValueKind != JsonValueKind.Array)
        {
            problems.Add(new(File, "rules", "missing: a list of rules"));
            return;
        }

        var index = 0;
        foreach (var rule in rules.EnumerateArray())
        {
            var field = $"rules[{index++}]";
            if (rule.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(File, field, "must be an object"));
                continue;
            }

            if (!rule.TryGetProperty("attribute", out var attribute) || attribute.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(attribute.GetString()))
            {
                problems.Add(new(File, $"{field}.attribute", "missing: a DICOM attribute keyword, e.g. \"Modality\""));
            }

            var tests = rule.EnumerateObject().Where(p => Tests.Contains(p.Name)).ToList();
            if (tests.Count != 1)
            {
                problems.Add(new(File, field, $"needs exactly one test of {string.Join(", ", Tests)}, has {tests.Count}"));
            }

            foreach (var property in rule.EnumerateObject().Where(p => !Modifiers.Contains(p.Name) && !Tests.Contains(p.Name)))
            {
                problems.Add(new(File, $"{field}.{property.Name}", "unknown key"));
            }

            if (rule.TryGetProperty("tolerance", out var tolerance) && (tolerance.ValueKind != JsonValueKind.Number || tolerance.GetDouble() is < 0 or > 45))
            {
                problems.Add(new(File, $"{field}.tolerance", "must be a number of degrees between 0 and 45"));
            }

            foreach (var test in tests)
            {
                var ok = test.Name switch
                {
                    "in" or "all_matched" => test.Value.ValueKind == JsonValueKind.Array && test.Value.GetArrayLength() > 0,
                    "min" or "max" => test.Value.ValueKind == JsonValueKind.Number,
                    "matches" => test.Value.ValueKind == JsonValueKind.String && IsRegex(test.Value.GetString()!),
                    _ => test.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number,
                };
                if (!ok)
                {
                    problems.Add(new(File, $"{field}.{test.Name}", test.Name switch
                    {
                        "in" or "all_matched" => "must be a non-empty list",
                        "min" or "max" => "must be a number",
                        "matches" => "must be a valid regular expression string",
                        _ => "must be a string or a number",
                    }));
                }
            }
        }
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
