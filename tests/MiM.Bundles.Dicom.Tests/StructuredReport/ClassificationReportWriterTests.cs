using System.Net;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.StructuredReport;
using MiM.Bundles.Dicom.Tests.Derived;
using MiM.Bundles.Dicom.Tests.Peers;

namespace MiM.Bundles.Dicom.Tests.StructuredReport;

/// <summary>
/// A classification result as a Comprehensive SR on the phantom series: dciodvfy and PixelMed find no error, pydicom
/// reads back the classes, probabilities, model name/version and a reference to every source instance, Orthanc stores it.
/// </summary>
[Collection(DerivedObjectsDefinition.Name)]
public sealed class ClassificationReportWriterTests(PhantomSeriesFixture series, OrthancServer orthanc) : IClassFixture<OrthancServer>
{
    private static readonly ClassificationResult Result = new(
        "liver-lesion-cls",
        "0.4.1",
        [
            new ClassProbability(CodedConcept.Snomed("17621005", "Normal"), 0.125),
            new ClassProbability(CodedConcept.Snomed("52988006", "Lesion"), 0.875),
        ]);

    private const string ReadScript = """
        import sys, json
        import pydicom
        ds = pydicom.dcmread(sys.argv[1])
        out = {'sopClass': ds.SOPClassUID, 'title': ds.ConceptNameCodeSequence[0].CodeValue, 'texts': {}, 'classes': [], 'images': [],
               'evidence': [s.ReferencedSOPInstanceUID for st in ds.CurrentRequestedProcedureEvidenceSequence for se in st.ReferencedSeriesSequence for s in se.ReferencedSOPSequence]}
        for item in ds.ContentSequence:
            name = item.ConceptNameCodeSequence[0].CodeMeaning
            if item.ValueType == 'TEXT':
                out['texts'][name] = item.TextValue
            elif item.ValueType == 'CODE':
                num = item.ContentSequence[0]
                value = num.MeasuredValueSequence[0]
                out['classes'].append({'code': item.ConceptCodeSequence[0].CodeValue, 'scheme': item.ConceptCodeSequence[0].CodingSchemeDesignator,
                                       'probability': float(value.NumericValue), 'unit': value.MeasurementUnitsCodeSequence[0].CodeValue,
                                       'relationship': num.RelationshipType})
            elif item.ValueType == 'IMAGE':
                out['images'].append(item.ReferencedSOPSequence[0].ReferencedSOPInstanceUID)
        print(json.dumps(out))
        """;

    [Fact]
    public void Dciodvfy_and_pixelmed_report_no_errors()
    {
        var file = Write();
        var (exit, errors, warnings) = DerivedObjectPeers.RunDciodvfy(file);
        Assert.True(errors.Count == 0, string.Join('\n', errors.Concat(warnings)));
        Assert.Equal(0, exit);
        // PixelMed's instance validator does not know SR IODs; its SR validator does (and warns that no template is used).
        var pixelmed = DerivedObjectPeers.RunPixelmed(file, "com.pixelmed.validate.DicomSRValidator");
        Assert.True(pixelmed.Count == 0, string.Join('\n', pixelmed));
    }

    [Fact]
    public void Pydicom_reads_back_classes_probabilities_model_and_every_source_instance()
    {
        var json = DerivedObjectPeers.Pydicom(ReadScript, Write());
        Assert.Equal(ClassificationReportWriter.SopClassUid, json.GetProperty("sopClass").GetString());
        Assert.Equal("liver-lesion-cls", json.GetProperty("texts").GetProperty("Algorithm Name").GetString());
        Assert.Equal("0.4.1", json.GetProperty("texts").GetProperty("Algorithm Version").GetString());
        var classes = json.GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal(["52988006", "17621005"], classes.Select(c => c.GetProperty("code").GetString()));
        Assert.Equal([0.875, 0.125], classes.Select(c => c.GetProperty("probability").GetDouble()));
        Assert.All(classes, c => Assert.Equal("SCT", c.GetProperty("scheme").GetString()));
        Assert.All(classes, c => Assert.Equal("1", c.GetProperty("unit").GetString()));
        var sources = series.Source.Images.Select(i => i.SopInstanceUid).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(sources, json.GetProperty("images").EnumerateArray().Select(i => i.GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(sources, json.GetProperty("evidence").EnumerateArray().Select(i => i.GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Orthanc_stores_it()
    {
        var file = Write();
        var (status, answer) = orthanc.Store(file);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Success", answer.GetProperty("Status").GetString());
        var tags = orthanc.Get($"instances/{answer.GetProperty("ID").GetString()}/simplified-tags");
        Assert.Equal(DicomFile.Open(file).Dataset.GetUid(DicomTag.SopInstanceUid), tags.GetProperty("SOPInstanceUID").GetString());
        Assert.Equal("SR", tags.GetProperty("Modality").GetString());
    }

    [Fact]
    public void A_probability_outside_zero_to_one_is_refused()
    {
        var bad = Result with { Probabilities = [new ClassProbability(CodedConcept.Snomed("52988006", "Lesion"), 1.5)] };
        var e = Assert.Throws<DicomException>(() => ClassificationReportWriter.Create(bad, series.Source));
        Assert.Contains("1.5", e.Message, StringComparison.Ordinal);
    }

    private string Write()
    {
        var path = series.NewFile("classification-sr.dcm");
        ClassificationReportWriter.Create(Result, series.Source).Save(path);
        return path;
    }
}
