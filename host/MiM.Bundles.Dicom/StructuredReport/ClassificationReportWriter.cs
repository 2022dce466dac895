using System.Globalization;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.Derived;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Uids;

namespace MiM.Bundles.Dicom.StructuredReport;

/// <summary>
/// Writes a classification result as a Comprehensive SR (PS3.3 A.35.3), no template: a root CONTAINER
/// (18748-4, LN, "Diagnostic Imaging Report") holding the algorithm name and version as TEXT (111001/111003, DCM), one
/// CODE "Finding" (121071, DCM) per class with its probability as NUM (122157, DCM, "Probability") in UCUM "1", the most
/// likely class first, and an IMAGE item per source instance; Current Requested Procedure Evidence lists every source
/// instance.
/// </summary>
public static class ClassificationReportWriter
{
    /// <summary>Comprehensive SR Storage.</summary>
    public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.88.33";

    private static readonly CodedConcept ReportTitle = new("18748-4", "LN", "Diagnostic Imaging Report");
    private static readonly CodedConcept AlgorithmName = new("111001", "DCM", "Algorithm Name");
    private static readonly CodedConcept AlgorithmVersion = new("111003", "DCM", "Algorithm Version");
    private static readonly CodedConcept Finding = new("121071", "DCM", "Finding");
    private static readonly CodedConcept Probability = new("122157", "DCM", "Probability");
    private static readonly CodedConcept NoUnits = new("1", "UCUM", "no units");
    private static readonly CodedConcept SourceImageConcept = new("121324", "DCM", "Source image");

    /// <summary>Builds the SR file (not yet written; call <see cref="DicomFile.Save"/>).</summary>
    /// <param name="result">The classes and probabilities, and the model's name and version.</param>
    /// <param name="source">The series classified.</param>
    /// <param name="options">Series number, equipment, nonce...</param>
    /// <exception cref="DicomException">No classes, a probability outside [0, 1], or a class code that is invalid.</exception>
    public static DicomFile Create(ClassificationResult result, SourceSeries source, DerivedObjectOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new DerivedObjectOptions();
        if (result.Probabilities.Count == 0)
        {
            throw new DicomException($"classification result of {result.ModelName} {result.ModelVersion} has no classes; expected at least one");
        }

        var bad = result.Probabilities.FirstOrDefault(p => !(p.Probability >= 0 && p.Probability <= 1));
        if (bad is not null)
        {
            throw new DicomException($"class {bad.Class} has probability {bad.Probability}; expected a value in [0, 1]");
        }

        var created = options.CreatedAt ?? DateTimeOffset.UtcNow;
        var uids = ResultUidGenerator.Create(source.SeriesInstanceUid, result.ModelName, result.ModelVersion, options.Nonce ?? Guid.NewGuid());
        var data = new DicomDataset();
        CommonModules.SopCommon(data, SopClassUid, uids.SopInstanceUid, created);
        CommonModules.PatientAndStudy(data, source);
        CommonModules.Series(data, "SR", uids.SeriesInstanceUid, options, $"SR {result.ModelName} {result.ModelVersion}", created);
        data.Set(new DicomSequence(DerivedTags.ReferencedPerformedProcedureStepSequence));
        CommonModules.Equipment(data, options);

        // SR Document General.
        data.SetNumbers(DerivedTags.InstanceNumber, DicomVr.IS, options.InstanceNumber);
        CommonModules.ContentDateTime(data, created);
        data.SetStrings(DerivedTags.CompletionFlag, DicomVr.CS, "COMPLETE");
        data.SetStrings(DerivedTags.VerificationFlag, DicomVr.CS, "UNVERIFIED");
        data.Set(new DicomSequence(DerivedTags.PerformedProcedureCodeSequence));
        data.Set(new DicomSequence(DerivedTags.CurrentRequestedProcedureEvidenceSequence, [Evidence(source)]));

        // SR Document Content: the root item's attributes sit at the top level of the data set.
        data.SetStrings(DerivedTags.ValueType, DicomVr.CS, "CONTAINER");
        data.Set(CodeItem.Sequence(DerivedTags.ConceptNameCodeSequence, ReportTitle, "report title"));
        data.SetStrings(DerivedTags.ContinuityOfContent, DicomVr.CS, "SEPARATE");
        var content = new List<DicomDataset>
        {
            Text(AlgorithmName, result.ModelName),
            Text(AlgorithmVersion, result.ModelVersion),
        };
        content.AddRange(result.Probabilities.OrderByDescending(p => p.Probability).Select(ClassItem));
        content.AddRange(source.Instances.Select(Image));
        data.Set(new DicomSequence(DerivedTags.ContentSequence, content));
        CommonModules.DropCharacterSetIfAscii(data);
        return new DicomFile(data);
    }

    private static DicomDataset Item(string relationship, string valueType, CodedConcept concept)
    {
        var item = new DicomDataset();
        item.SetStrings(DerivedTags.RelationshipType, DicomVr.CS, relationship);
        item.SetStrings(DerivedTags.ValueType, DicomVr.CS, valueType);
        item.Set(CodeItem.Sequence(DerivedTags.ConceptNameCodeSequence, concept, concept.CodeMeaning));
        return item;
    }

    private static DicomDataset Text(CodedConcept concept, string value)
    {
        var item = Item("CONTAINS", "TEXT", concept);
        item.SetStrings(DerivedTags.TextValue, DicomVr.UT, value);
        return item;
    }

    private static DicomDataset ClassItem(ClassProbability probability)
    {
        var item = Item("CONTAINS", "CODE", Finding);
        item.Set(CodeItem.Sequence(DerivedTags.ConceptCodeSequence, probability.Class, "class"));
        var number = Item("HAS PROPERTIES", "NUM", Probability);
        var measured = new DicomDataset();
        // DS holds 16 characters: six decimals keep the probability well within that.
        measured.SetStrings(DerivedTags.NumericValue, DicomVr.DS, Math.Round(probability.Probability, 6).ToString("0.######", CultureInfo.InvariantCulture));
        measured.Set(CodeItem.Sequence(DerivedTags.MeasurementUnitsCodeSequence, NoUnits, "units"));
        number.Set(new DicomSequence(DerivedTags.MeasuredValueSequence, [measured]));
        item.Set(new DicomSequence(DerivedTags.ContentSequence, [number]));
        return item;
    }

    private static DicomDataset Image(SourceImage image)
    {
        var item = Item("CONTAINS", "IMAGE", SourceImageConcept);
        item.Set(new DicomSequence(DerivedTags.ReferencedSopSequence, [CommonModules.Reference(image)]));
        return item;
    }

    private static DicomDataset Evidence(SourceSeries source)
    {
        var series = new DicomDataset();
        series.SetStrings(DerivedTags.SeriesInstanceUid, DicomVr.UI, source.SeriesInstanceUid);
        series.Set(new DicomSequence(DerivedTags.ReferencedSopSequence, source.Instances.Select(CommonModules.Reference)));
        var study = new DicomDataset();
        study.SetStrings(DerivedTags.StudyInstanceUid, DicomVr.UI, source.StudyInstanceUid);
        study.Set(new DicomSequence(DerivedTags.ReferencedSeriesSequence, [series]));
        return study;
    }
}
