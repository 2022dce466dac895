using System.Collections;
using MiM.Bundles.Dicom.Text;

namespace MiM.Bundles.Dicom.Core;

/// <summary>
/// A data set (or a sequence item): elements in tag order, with typed accessors and the means to build and modify
/// it for writing. Text decodes with this data set's Specific Character Set, or its parent's for an item that has none.
/// </summary>
public sealed class DicomDataset : IEnumerable<DicomElement>
{
    private readonly SortedDictionary<DicomTag, DicomElement> _elements = [];

    /// <summary>The data set holding the sequence this item belongs to; null for a top-level data set.</summary>
    public DicomDataset? Parent { get; set; }

    /// <summary>Number of elements.</summary>
    public int Count => _elements.Count;

    /// <summary>The element with the tag, or null.</summary>
    public DicomElement? this[DicomTag tag] => _elements.GetValueOrDefault(tag);

    /// <summary>True when the element is present.</summary>
    public bool Contains(DicomTag tag) => _elements.ContainsKey(tag);

    /// <summary>Adds or replaces an element; sequence items get this data set as parent.</summary>
    public DicomDataset Set(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (element is DicomSequence sequence)
        {
            foreach (var item in sequence.Items)
            {
                item.Parent = this;
            }
        }

        _elements[element.Tag] = element;
        return this;
    }

    /// <summary>Sets a string value (several values are joined with a backslash), encoded with this data set's character set.</summary>
    public DicomDataset SetStrings(DicomTag tag, DicomVr vr, params string[] values) =>
        Set(new DicomValueElement(tag, vr, PadToEven(vr, DicomValueEncoder.Strings(vr, values, CharacterSet.Encoding))));

    /// <summary>Sets a numeric value of a binary (US, SS, UL, SL, SV, UV, FL, FD, OW...) or text (IS, DS) VR.</summary>
    public DicomDataset SetNumbers(DicomTag tag, DicomVr vr, params double[] values) =>
        Set(new DicomValueElement(tag, vr, PadToEven(vr, DicomValueEncoder.Numbers(vr, values))));

    /// <summary>Sets an AT value.</summary>
    public DicomDataset SetTags(DicomTag tag, params DicomTag[] values) =>
        Set(new DicomValueElement(tag, DicomVr.AT, DicomValueEncoder.Tags(values)));

    /// <summary>Sets raw bytes (OB, OW, UN...; little endian for multi-byte VRs).</summary>
    public DicomDataset SetBytes(DicomTag tag, DicomVr vr, byte[] bytes) => Set(new DicomValueElement(tag, vr, bytes));

    /// <summary>Removes an element; true when it was present.</summary>
    public bool Remove(DicomTag tag) => _elements.Remove(tag);

    /// <summary>The character set for text values (own Specific Character Set, else the parent's).</summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (_elements.GetValueOrDefault(DicomTag.SpecificCharacterSet) is DicomValueElement e)
            {
                return DicomCharacterSet.FromTerms(DicomValueDecoder.Strings(DicomVr.CS, e.Buffer.GetBytes(), System.Text.Encoding.Latin1));
            }

            return Parent?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    /// <summary>All values of a string element (split on backslash, padding removed), or empty when absent.</summary>
    /// <remarks>Numeric binary VRs are rendered as invariant-culture text; AT as "(gggg,eeee)".</remarks>
    public IReadOnlyList<string> GetStrings(DicomTag tag) =>
        Value(tag) is { } e ? DicomValueDecoder.Strings(e.Vr, e.Buffer.GetBytes(), CharacterSet.Encoding) : [];

    /// <summary>The whole value as one string (values still joined by backslashes), or null when absent.</summary>
    public string? GetString(DicomTag tag) => Value(tag) is null ? null : string.Join('\\', GetStrings(tag));

    /// <summary>The value at <paramref name="index"/>, or null when absent.</summary>
    public string? GetString(DicomTag tag, int index)
    {
        var values = GetStrings(tag);
        return index >= 0 && index < values.Count ? values[index] : null;
    }

    /// <summary>A UID (UI) value with its NUL padding removed, or null.</summary>
    public string? GetUid(DicomTag tag) => GetString(tag, 0);

    /// <summary>All values as integers (US, SS, UL, SL, SV, UV, IS, OW...).</summary>
    public IReadOnlyList<long> GetLongs(DicomTag tag) =>
        Value(tag) is { } e ? DicomValueDecoder.Longs(e.Vr, e.Buffer.GetBytes(), CharacterSet.Encoding, tag) : [];

    /// <summary>One value as a 32-bit integer, or null when absent or empty.</summary>
    public int? GetInt32(DicomTag tag, int index = 0)
    {
        var values = GetLongs(tag);
        if (index < 0 || index >= values.Count)
        {
            return null;
        }

        return values[index] is >= int.MinValue and <= int.MaxValue
            ? (int)values[index]
            : throw new DicomException($"value {values[index]} does not fit a 32-bit integer", null, tag, null);
    }

    /// <summary>All values as doubles (DS, IS, FL, FD and the integer VRs).</summary>
    public IReadOnlyList<double> GetDoubles(DicomTag tag) =>
        Value(tag) is { } e ? DicomValueDecoder.Doubles(e.Vr, e.Buffer.GetBytes(), CharacterSet.Encoding, tag) : [];

    /// <summary>One value as a double, or null when absent or empty.</summary>
    public double? GetDouble(DicomTag tag, int index = 0)
    {
        var values = GetDoubles(tag);
        return index >= 0 && index < values.Count ? values[index] : null;
    }

    /// <summary>The items of a sequence, or empty when absent.</summary>
    public IReadOnlyList<DicomDataset> GetItems(DicomTag tag) => this[tag] is DicomSequence s ? s.Items : [];

    /// <summary>Number of values (the value multiplicity) of an element.</summary>
    public int GetValueCount(DicomTag tag) => this[tag] switch
    {
        DicomValueElement e => DicomValueDecoder.Count(e.Vr, e.Buffer.GetBytes(), CharacterSet.Encoding),
        DicomSequence => 1,
        DicomFragmentSequence => 1,
        _ => 0,
    };

    /// <inheritdoc />
    public IEnumerator<DicomElement> GetEnumerator() => _elements.Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private DicomValueElement? Value(DicomTag tag) => _elements.GetValueOrDefault(tag) as DicomValueElement;

    private static byte[] PadToEven(DicomVr vr, byte[] bytes)
    {
        if (bytes.Length % 2 == 0)
        {
            return bytes;
        }

        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = DicomVrInfo.PaddingByte(vr);
        return padded;
    }
}
