using System.Globalization;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;

namespace MiM.Bundles.Cli.Commands.Demo;

/// <summary>What a classification SR says, and whether it agrees with the phantom's lesion flag.</summary>
/// <param name="Finding">The most likely class's code meaning (e.g. "Lesion").</param>
/// <param name="FindingCode">Its code value.</param>
/// <param name="Probability">Its probability.</param>
/// <param name="SaysLesion">True when the most likely finding is the lesion concept.</param>
/// <param name="HasLesion">The phantom's truth.</param>
internal sealed record ReportVerdict(string Finding, string FindingCode, double Probability, bool SaysLesion, bool HasLesion)
{
    /// <summary>True when the SR's finding matches the truth.</summary>
    public bool Passed => SaysLesion == HasLesion;
}

/// <summary>
/// Reads a classification SR as <c>ClassificationReportWriter</c> writes it (a Finding (DCM 121071) CODE item per class with
/// its Probability (DCM 122157) NUM, most likely first) and compares the most likely finding with the phantom's lesion flag.
/// </summary>
internal static class ReportCheck
{
    /// <summary>SNOMED CT "Lesion", the code of the demo classifier's lesion class.</summary>
    public const string LesionCode = "52988006";

    private static readonly DicomTag ValueType = new(0x0040, 0xA040);
    private static readonly DicomTag ConceptNameCodeSequence = new(0x0040, 0xA043);
    private static readonly DicomTag ConceptCodeSequence = new(0x0040, 0xA168);
    private static readonly DicomTag ContentSequence = new(0x0040, 0xA730);
    private static readonly DicomTag MeasuredValueSequence = new(0x0040, 0xA300);
    private static readonly DicomTag NumericValue = new(0x0040, 0xA30A);
    private static readonly DicomTag CodeValue = new(0x0008, 0x0100);
    private static readonly DicomTag CodeMeaning = new(0x0008, 0x0104);

    /// <summary>The SR's verdict for a phantom with (<paramref name="hasLesion"/>) or without lesions.</summary>
    /// <exception cref="InvalidDataException">The SR holds no Finding.</exception>
    public static ReportVerdict Check(string srFile, bool hasLesion)
    {
        var findings = new List<(string Code, string Meaning, double Probability)>();
        foreach (var item in DicomFile.Open(srFile).Dataset.GetItems(ContentSequence))
        {
            var concept = First(item, ConceptNameCodeSequence);
            if (item.GetString(ValueType) != "CODE" || concept?.GetString(CodeValue) != "121071")
            {
                continue;
            }

            var value = First(item, ConceptCodeSequence);
            var number = item.GetItems(ContentSequence).Select(i => First(i, MeasuredValueSequence)?.GetString(NumericValue)).FirstOrDefault(v => v is not null);
            findings.Add((value?.GetString(CodeValue) ?? "", value?.GetString(CodeMeaning) ?? "",
                double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : double.NaN));
        }

        if (findings.Count == 0)
        {
            throw new InvalidDataException($"{srFile}: no Finding (DCM 121071) item in the content tree");
        }

        var top = findings.MaxBy(f => f.Probability);
        return new ReportVerdict(top.Meaning, top.Code, top.Probability, top.Code == LesionCode, hasLesion);
    }

    private static DicomDataset? First(DicomDataset item, DicomTag tag) => item.GetItems(tag) is { Count: > 0 } items ? items[0] : null;
}
