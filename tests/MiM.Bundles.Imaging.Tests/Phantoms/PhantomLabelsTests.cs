using System.Text.RegularExpressions;
using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Imaging.Tests.Phantoms;

public partial class PhantomLabelsTests
{
    [Fact]
    public void Labels_are_the_values_one_to_nine_each_with_a_unique_lower_case_name()
    {
        Assert.Equal(Enumerable.Range(1, 9).Select(v => (ushort)v), PhantomLabels.All.Select(l => l.Value));
        Assert.Equal(PhantomLabels.All.Count, PhantomLabels.All.Select(l => l.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(PhantomLabels.All, l => Assert.Matches(NamePattern(), l.Name));
        Assert.Equal(
            ["liver", "spleen", "kidney_right", "kidney_left", "aorta", "lung_right", "lung_left", "spine", "ribs"],
            PhantomLabels.All.Select(l => l.Name));
    }

    [Fact]
    public void Every_label_is_an_anatomical_structure_with_a_valid_snomed_concept_id()
    {
        Assert.All(PhantomLabels.All, l =>
        {
            Assert.Equal(("123037004", "SCT"), (l.Category.CodeValue, l.Category.CodingSchemeDesignator));
            Assert.Equal("SCT", l.Type.CodingSchemeDesignator);
            Assert.True(IsSnomedConceptId(l.Type.CodeValue), $"{l.Type.CodeValue} is not a SNOMED CT concept id");
            Assert.False(string.IsNullOrWhiteSpace(l.Type.CodeMeaning));
        });
        Assert.Equal(PhantomLabels.All.Count, PhantomLabels.All.Select(l => l.Type.CodeValue).Distinct(StringComparer.Ordinal).Count());
        Assert.True(IsSnomedConceptId("123037004"));
    }

    [Fact]
    public void Codes_match_dicom_part_16_for_each_organ()
    {
        var codes = PhantomLabels.All.ToDictionary(l => l.Name, l => l.Type.CodeValue, StringComparer.Ordinal);
        Assert.Equal("10200004", codes["liver"]);
        Assert.Equal("78961009", codes["spleen"]);
        Assert.Equal("9846003", codes["kidney_right"]);
        Assert.Equal("18639004", codes["kidney_left"]);
        Assert.Equal("15825003", codes["aorta"]);
        Assert.Equal("3341006", codes["lung_right"]);
        Assert.Equal("44029006", codes["lung_left"]);
        Assert.Equal("421060004", codes["spine"]);
        Assert.Equal("113197003", codes["ribs"]);
    }

    [Fact]
    public void Display_colours_are_distinct()
    {
        Assert.Equal(PhantomLabels.All.Count, PhantomLabels.All.Select(l => l.Colour).Distinct().Count());
    }

    [Theory]
    [InlineData("10200004", true)]
    [InlineData("10200005", false)]
    [InlineData("421060004", true)]
    [InlineData("421060014", false)]
    public void The_snomed_check_used_here_rejects_a_wrong_check_digit(string code, bool valid)
    {
        Assert.Equal(valid, IsSnomedConceptId(code));
    }

    /// <summary>A SNOMED CT concept id: 6-18 digits, partition "00" or "10", Verhoeff check digit.</summary>
    private static bool IsSnomedConceptId(string code)
    {
        if (code.Length is < 6 or > 18 || !code.All(char.IsAsciiDigit) || code[0] == '0')
        {
            return false;
        }

        var partition = code.Substring(code.Length - 3, 2);
        return (partition == "00" || partition == "10") && Verhoeff(code);
    }

    private static bool Verhoeff(string digits)
    {
        int[,] d =
        {
            { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 }, { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
            { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 }, { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 }, { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
            { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 }, { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 }, { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
            { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
        };
        int[,] p =
        {
            { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 }, { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
            { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 }, { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 }, { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
            { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 }, { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
        };
        var c = 0;
        for (var n = 0; n < digits.Length; n++)
        {
            c = d[c, p[n % 8, digits[digits.Length - 1 - n] - '0']];
        }

        return c == 0;
    }

    [GeneratedRegex("^[a-z]+(_[a-z]+)*$")]
    private static partial Regex NamePattern();
}
