using System.Text.Json;
using MiM.Bundles.Host.Routing;

namespace MiM.Bundles.Host.Tests.Routing;

public sealed class SelectionRulesTests
{
    private static readonly SeriesAttributes AxialCt = new(new Dictionary<string, IReadOnlyList<string>>
    {
        ["Modality"] = ["CT"],
        ["BodyPartExamined"] = ["ABDOMEN"],
        ["ImageType"] = ["ORIGINAL", "PRIMARY", "AXIAL"],
        ["SeriesDescription"] = ["Abdomen Portal Venous 1.0"],
        ["SliceThickness"] = ["1.25"],
        ["ImageOrientationPatient"] = ["1", "0", "0", "0", "1", "0"],
        ["NumberOfSlices"] = ["120"],
        ["ContrastBolusAgent"] = ["Omnipaque"],
    });

    private static SelectionRules Rules(string json)
    {
        using var document = JsonDocument.Parse(json);
        return SelectionRules.Parse(document.RootElement);
    }

    [Theory]
    [InlineData("""{ "attribute": "Modality", "equals": "ct" }""")]
    [InlineData("""{ "attribute": "BodyPartExamined", "in": ["CHEST", "ABDOMEN"] }""")]
    [InlineData("""{ "attribute": "ImageType", "all_matched": ["PRIMARY", "ORIGINAL"] }""")]
    [InlineData("""{ "attribute": "SeriesDescription", "matches": "(?i)portal|venous" }""")]
    [InlineData("""{ "attribute": "SliceThickness", "max": 5 }""")]
    [InlineData("""{ "attribute": "SliceThickness", "min": 1.25 }""")]
    [InlineData("""{ "attribute": "NumberOfSlices", "min": 16 }""")]
    [InlineData("""{ "attribute": "Orientation", "equals": "AXIAL" }""")]
    [InlineData("""{ "attribute": "Contrast", "equals": "YES" }""")]
    [InlineData("""{ "attribute": "SliceThickness", "equals": 1.25 }""")]
    public void A_rule_the_series_meets_accepts_it(string rule) =>
        Assert.Null(Rules($$"""{ "rules": [ {{rule}} ] }""").Refusal(AxialCt));

    [Theory]
    [InlineData("""{ "attribute": "Modality", "equals": "MR" }""", "Modality is \"CT\"")]
    [InlineData("""{ "attribute": "BodyPartExamined", "in": ["CHEST", "HEAD"] }""", "BodyPartExamined is \"ABDOMEN\"")]
    [InlineData("""{ "attribute": "ImageType", "all_matched": ["PRIMARY", "LOCALIZER"] }""", "ImageType is \"ORIGINAL\\PRIMARY\\AXIAL\"")]
    [InlineData("""{ "attribute": "SeriesDescription", "matches": "arterial" }""", "SeriesDescription is")]
    [InlineData("""{ "attribute": "SliceThickness", "max": 1.0 }""", "SliceThickness is \"1.25\" (rule: max 1.0)")]
    [InlineData("""{ "attribute": "NumberOfSlices", "min": 200 }""", "NumberOfSlices is \"120\" (rule: min 200)")]
    [InlineData("""{ "attribute": "Contrast", "equals": "NO" }""", "Contrast is \"YES\"")]
    [InlineData("""{ "attribute": "ProtocolName", "equals": "x" }""", "ProtocolName is missing")]
    public void A_rule_the_series_fails_refuses_it_naming_the_attribute_and_the_value_found(string rule, string reason)
    {
        var refusal = Rules($$"""{ "rules": [ {{rule}} ] }""").Refusal(AxialCt);
        Assert.NotNull(refusal);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void All_reports_every_failing_rule_and_any_accepts_when_one_passes()
    {
        const string Rules2 = """[ { "attribute": "Modality", "equals": "MR" }, { "attribute": "NumberOfSlices", "min": 500 }, { "attribute": "BodyPartExamined", "equals": "ABDOMEN" } ]""";
        var all = Rules($$"""{ "match": "all", "rules": {{Rules2}} }""").Refusal(AxialCt);
        Assert.Contains("Modality", all, StringComparison.Ordinal);
        Assert.Contains("NumberOfSlices", all, StringComparison.Ordinal);
        Assert.DoesNotContain("BodyPartExamined", all, StringComparison.Ordinal);
        Assert.Null(Rules($$"""{ "match": "any", "rules": {{Rules2}} }""").Refusal(AxialCt));
    }

    [Theory]
    [InlineData(new[] { "1", "0", "0", "0", "1", "0" }, "AXIAL")]
    [InlineData(new[] { "0", "1", "0", "0", "0", "-1" }, "SAGITTAL")]
    [InlineData(new[] { "1", "0", "0", "0", "0", "-1" }, "CORONAL")]
    [InlineData(new[] { "1", "0", "0", "0", "0.98480775", "-0.17364818" }, "AXIAL")] // tilted 10° about x: axial within 15°
    [InlineData(new[] { "1", "0", "0", "0", "0.70710678", "-0.70710678" }, "OBLIQUE")]
    public void The_plane_comes_from_the_slice_normal_within_the_tolerance(string[] orientation, string plane)
    {
        var series = new SeriesAttributes(new Dictionary<string, IReadOnlyList<string>> { ["ImageOrientationPatient"] = orientation });
        Assert.Equal(plane, series.Plane(15));
    }

    [Fact]
    public void An_orientation_rule_uses_its_own_tolerance()
    {
        var tilted = new SeriesAttributes(new Dictionary<string, IReadOnlyList<string>>
        {
            ["ImageOrientationPatient"] = ["1", "0", "0", "0", "0.98480775", "-0.17364818"], // 10° gantry tilt
        });
        Assert.Null(Rules("""{ "rules": [ { "attribute": "Orientation", "equals": "AXIAL", "tolerance": 12 } ] }""").Refusal(tilted));
        Assert.Contains("Orientation is \"OBLIQUE\"", Rules("""{ "rules": [ { "attribute": "Orientation", "equals": "AXIAL", "tolerance": 5 } ] }""").Refusal(tilted), StringComparison.Ordinal);
    }

    [Fact]
    public void A_series_without_contrast_agent_is_contrast_NO()
    {
        var plain = new SeriesAttributes(new Dictionary<string, IReadOnlyList<string>> { ["Modality"] = ["CT"] });
        Assert.Null(Rules("""{ "rules": [ { "attribute": "Contrast", "equals": "NO" } ] }""").Refusal(plain));
    }
}
