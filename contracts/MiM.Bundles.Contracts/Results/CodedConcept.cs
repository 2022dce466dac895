namespace MiM.Bundles.Contracts.Results;

/// <summary>
/// A coded concept as DICOM writes it (Code Value, Coding Scheme Designator, Code Meaning).
/// Anatomy and segment categories use SNOMED CT, designator "SCT" (not the retired "SRT").
/// </summary>
/// <param name="CodeValue">The code, for example "10200004" (liver).</param>
/// <param name="CodingSchemeDesignator">The scheme, for example "SCT".</param>
/// <param name="CodeMeaning">Human-readable meaning, for example "Liver".</param>
public sealed record CodedConcept(string CodeValue, string CodingSchemeDesignator, string CodeMeaning)
{
    /// <summary>A SNOMED CT concept.</summary>
    public static CodedConcept Snomed(string code, string meaning) => new(code, "SCT", meaning);

    /// <inheritdoc/>
    public override string ToString() => $"({CodeValue}, {CodingSchemeDesignator}, \"{CodeMeaning}\")";
}
