using MiM.Bundles.Contracts.Results;

namespace MiM.Bundles.Host.Catalog;

/// <summary>A coded concept as metadata.json writes it: {"code": "10200004", "scheme": "SCT", "meaning": "Liver"}.</summary>
public sealed record CodeJson
{
    /// <summary>The code value.</summary>
    public string? Code { get; init; }

    /// <summary>The coding scheme designator, "SCT" for SNOMED CT.</summary>
    public string? Scheme { get; init; }

    /// <summary>The code meaning.</summary>
    public string? Meaning { get; init; }

    /// <summary>True when code, scheme and meaning are all given.</summary>
    public bool IsComplete => !string.IsNullOrWhiteSpace(Code) && !string.IsNullOrWhiteSpace(Scheme) && !string.IsNullOrWhiteSpace(Meaning);

    /// <summary>The contract's concept; call only when <see cref="IsComplete"/>.</summary>
    public CodedConcept ToConcept() => new(Code!, Scheme!, Meaning!);

    /// <summary>The JSON form of a contract concept.</summary>
    public static CodeJson From(CodedConcept concept)
    {
        ArgumentNullException.ThrowIfNull(concept);
        return new() { Code = concept.CodeValue, Scheme = concept.CodingSchemeDesignator, Meaning = concept.CodeMeaning };
    }
}
