using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Dicom.Core;

namespace MiM.Bundles.Dicom.Derived;

/// <summary>Writes a <see cref="CodedConcept"/> as a Code Sequence item (PS3.3 Table 8.8-1: value, scheme, meaning).</summary>
internal static class CodeItem
{
    /// <summary>(121322, DCM, "Source image for image processing operation"): why a SEG frame references its source.</summary>
    public static CodedConcept SourceForProcessing { get; } = new("121322", "DCM", "Source image for image processing operation");

    /// <summary>(113076, DCM, "Segmentation"): how a SEG frame was derived.</summary>
    public static CodedConcept Segmentation { get; } = new("113076", "DCM", "Segmentation");

    /// <summary>(123110, DCM, "Artificial Intelligence") from CID 7162: the algorithm family of a bundle.</summary>
    public static CodedConcept ArtificialIntelligence { get; } = new("123110", "DCM", "Artificial Intelligence");

    /// <summary>One item holding the code.</summary>
    /// <exception cref="DicomException">The code uses the retired SNOMED designator "SRT" or a part is empty.</exception>
    public static DicomDataset Create(CodedConcept code, string context)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (string.IsNullOrWhiteSpace(code.CodeValue) || string.IsNullOrWhiteSpace(code.CodingSchemeDesignator) || string.IsNullOrWhiteSpace(code.CodeMeaning))
        {
            throw new DicomException($"{context}: code {code} has an empty part; expected a code value, a coding scheme designator and a code meaning");
        }

        if (code.CodingSchemeDesignator is "SRT" or "SNM3")
        {
            throw new DicomException($"{context}: code {code} uses the retired SNOMED designator '{code.CodingSchemeDesignator}'; expected 'SCT' (SNOMED CT concept id)");
        }

        var item = new DicomDataset();
        item.SetStrings(DerivedTags.CodeValue, DicomVr.SH, code.CodeValue);
        item.SetStrings(DerivedTags.CodingSchemeDesignator, DicomVr.SH, code.CodingSchemeDesignator);
        item.SetStrings(DerivedTags.CodeMeaning, DicomVr.LO, code.CodeMeaning);
        return item;
    }

    /// <summary>A sequence of one code item.</summary>
    public static DicomSequence Sequence(DicomTag tag, CodedConcept code, string context) => new(tag, [Create(code, context)]);
}
