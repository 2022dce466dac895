using System.Text;

namespace MiM.Bundles.Dicom.Text;

/// <summary>
/// Maps Specific Character Set (0008,0005) to a .NET encoding. Supported: default repertoire, ISO_IR 100
/// (Latin-1) and ISO_IR 192 (UTF-8). Anything else decodes as Latin-1 with a warning rather than failing,
/// so that a header with an exotic character set can still be scanned.
/// </summary>
public sealed class DicomCharacterSet
{
    private DicomCharacterSet(string term, Encoding encoding, string? warning)
    {
        Term = term;
        Encoding = encoding;
        Warning = warning;
    }

    /// <summary>The default repertoire (no Specific Character Set).</summary>
    /// <remarks>
    /// Decoded as Latin-1 rather than ASCII so that stray 8-bit bytes in non-conformant files survive instead of
    /// turning into '?' (pydicom and DCMTK keep them too).
    /// </remarks>
    public static DicomCharacterSet Default { get; } = new(string.Empty, Encoding.Latin1, null);

    /// <summary>UTF-8 (ISO_IR 192).</summary>
    public static DicomCharacterSet Utf8 { get; } = new("ISO_IR 192", new UTF8Encoding(false), null);

    /// <summary>The defined term(s) as found, joined with a backslash.</summary>
    public string Term { get; }

    /// <summary>The encoding used for LO, SH, PN, ST, LT, UC and UT values.</summary>
    public Encoding Encoding { get; }

    /// <summary>Why the character set was not fully honoured, or null when it was.</summary>
    public string? Warning { get; }

    /// <summary>Resolves the values of Specific Character Set.</summary>
    public static DicomCharacterSet FromTerms(IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var cleaned = terms.Select(t => t.Trim()).ToList();
        var joined = string.Join('\\', cleaned);
        var meaningful = cleaned.Where(t => t.Length > 0).Distinct().ToList();
        if (meaningful.Count == 0 || meaningful.All(t => t is "ISO_IR 6" or "ISO 2022 IR 6"))
        {
            return Default;
        }

        if (meaningful.All(t => t is "ISO_IR 192"))
        {
            return new DicomCharacterSet(joined, Utf8.Encoding, null);
        }

        // ISO 2022 IR 100 with the default repertoire as first value is Latin-1 with escape sequences that never
        // leave G1 = Latin-1 in practice.
        if (meaningful.All(t => t is "ISO_IR 100" or "ISO 2022 IR 100" or "ISO 2022 IR 6"))
        {
            return new DicomCharacterSet(joined, Encoding.Latin1, null);
        }

        return new DicomCharacterSet(joined, Encoding.Latin1, $"Specific Character Set '{joined}' is not supported; decoded as ISO_IR 100 (Latin-1)");
    }
}
