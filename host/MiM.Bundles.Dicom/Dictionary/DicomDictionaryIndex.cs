using System.Globalization;
using MiM.Bundles.Dicom.Core;

namespace MiM.Bundles.Dicom.Dictionary;

/// <summary>
/// The standard data dictionary, generated from DCMTK's dicom.dic (see Dictionary/Generator). Repeating groups such
/// as (60xx,3000) and element ranges such as (0020,3100-31FF) are matched after exact tags; group lengths and private
/// creators follow the standard's rules.
/// </summary>
public static class DicomDictionaryIndex
{
    private static readonly DicomDictionaryEntry GroupLength = new("GenericGroupLength", DicomVr.UL, "UL", "1", false);
    private static readonly DicomDictionaryEntry PrivateCreator = new("PrivateCreator", DicomVr.LO, "LO", "1", false);
    private static readonly Lazy<Tables> Data = new(Load);

    /// <summary>Number of exact (non-range) entries.</summary>
    public static int Count => Data.Value.Exact.Count;

    /// <summary>The entry for a tag, or null when the dictionary does not know it (e.g. private data elements).</summary>
    public static DicomDictionaryEntry? Find(DicomTag tag)
    {
        var tables = Data.Value;
        if (tables.Exact.TryGetValue(tag.Value, out var entry))
        {
            return entry;
        }

        foreach (var range in tables.Ranges)
        {
            if (range.Group.Matches(tag.Group) && range.Element.Matches(tag.Element))
            {
                return range.Entry;
            }
        }

        if (tag.IsGroupLength && tag.Group != 0xFFFE)
        {
            return GroupLength;
        }

        return tag.IsPrivateCreator ? PrivateCreator : null;
    }

    /// <summary>The VR a tag has when the file does not say (implicit VR): the dictionary's, else UN.</summary>
    public static DicomVr ImplicitVr(DicomTag tag) => Find(tag)?.Vr ?? DicomVr.UN;

    /// <summary>The keyword of a tag, or "Unknown Tag &amp; Data" / "PrivateTag" as dcmdump names them.</summary>
    public static string KeywordOf(DicomTag tag) =>
        Find(tag)?.Keyword ?? (tag.IsPrivate ? "PrivateTag" : "Unknown Tag & Data");

    /// <summary>The tag of a keyword (exact entries only), or null.</summary>
    public static DicomTag? FindTag(string keyword) =>
        Data.Value.ByKeyword.TryGetValue(keyword, out var tag) ? tag : null;

    private static Tables Load()
    {
        var exact = new Dictionary<uint, DicomDictionaryEntry>();
        var byKeyword = new Dictionary<string, DicomTag>(StringComparer.Ordinal);
        var ranges = new List<RangeEntry>();
        foreach (var line in DicomDictionaryData.Entries.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('|');
            var vr = f[1] == "NONE" ? DicomVr.None : Enum.Parse<DicomVr>(f[1]);
            var entry = new DicomDictionaryEntry(f[4], vr, f[2], f[3], f[5] == "1");
            var parts = f[0].Split(',');
            var group = Part.Parse(parts[0]);
            var element = Part.Parse(parts[1]);
            if (group.IsSingle && element.IsSingle)
            {
                // Later lines override earlier ones, as in DCMTK.
                var tag = new DicomTag(group.Low, element.Low);
                exact[tag.Value] = entry;
                byKeyword[entry.Keyword] = tag;
            }
            else
            {
                ranges.Add(new RangeEntry(group, element, entry));
            }
        }

        return new Tables(exact, byKeyword, ranges);
    }

    private sealed record Tables(Dictionary<uint, DicomDictionaryEntry> Exact, Dictionary<string, DicomTag> ByKeyword, List<RangeEntry> Ranges);

    private sealed record RangeEntry(Part Group, Part Element, DicomDictionaryEntry Entry);

    /// <summary>A tag half: one value or a range with parity ('e' even, 'o' odd, 'u' any).</summary>
    private readonly record struct Part(ushort Low, ushort High, char Parity)
    {
        public bool IsSingle => Low == High;

        public bool Matches(ushort v) => v >= Low && v <= High && (Parity == 'u' || (v & 1) == (Parity == 'o' ? 1 : 0) || IsSingle);

        public static Part Parse(string text)
        {
            if (text.Length == 4)
            {
                var v = ushort.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                return new Part(v, v, 'u');
            }

            return new Part(
                ushort.Parse(text.AsSpan(0, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                ushort.Parse(text.AsSpan(5, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                text[^1]);
        }
    }
}
