using System.Globalization;
using System.Text;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.Dictionary;
using MiM.Bundles.Dicom.IO;

namespace MiM.Bundles.Dicom.Dump;

/// <summary>
/// Renders a file or data set as text in the style of DCMTK's dcmdump:
/// <c>(0010,0010) PN [Doe^John]                               #   8, 1 PatientName</c>.
/// Sequences and items are written with undefined length, as this layer re-encodes them; deferred pixel data is
/// shown as "(not loaded)" so that dumping a header never reads the pixels.
/// </summary>
public static class DicomTextDumper
{
    private const int ValueWidth = 40;
    private const int MaxValueText = 64;

    /// <summary>Dumps meta information and data set with dcmdump's section headers.</summary>
    public static void Dump(DicomFile file, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine();
        writer.WriteLine("# Dicom-File-Format");
        writer.WriteLine();
        writer.WriteLine("# Dicom-Meta-Information-Header");
        writer.WriteLine("# Used TransferSyntax: Little Endian Explicit");
        Dump(file.Meta, writer);
        writer.WriteLine();
        writer.WriteLine("# Dicom-Data-Set");
        writer.WriteLine($"# Used TransferSyntax: {file.TransferSyntax.Name}");
        Dump(file.Dataset, writer);
        foreach (var warning in file.Warnings)
        {
            writer.WriteLine($"W: {warning}");
        }
    }

    /// <summary>Dumps the elements of a data set, one a line.</summary>
    public static void Dump(DicomDataset dataset, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(writer);
        DumpElements(dataset, writer, 0);
    }

    /// <summary>The dump as a string.</summary>
    public static string ToText(DicomFile file)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Dump(file, writer);
        return writer.ToString();
    }

    private static void DumpElements(DicomDataset dataset, TextWriter writer, int level)
    {
        foreach (var element in dataset)
        {
            var keyword = DicomDictionaryIndex.KeywordOf(element.Tag);
            switch (element)
            {
                case DicomSequence sequence:
                    Line(writer, level, element.Tag, "SQ", $"(Sequence with undefined length #={sequence.Items.Count})", "u/l", 1, keyword);
                    foreach (var item in sequence.Items)
                    {
                        Line(writer, level + 1, DicomTag.Item, "na", $"(Item with undefined length #={item.Count})", "u/l", 1, "Item");
                        DumpElements(item, writer, level + 2);
                        Line(writer, level + 1, DicomTag.ItemDelimitationItem, "na", "(ItemDelimitationItem)", "0", 0, "ItemDelimitationItem");
                    }

                    Line(writer, level, DicomTag.SequenceDelimitationItem, "na", "(SequenceDelimitationItem)", "0", 0, "SequenceDelimitationItem");
                    break;
                case DicomFragmentSequence fragments:
                    Line(writer, level, element.Tag, element.Vr.ToString(), $"(PixelSequence #={fragments.Fragments.Count + 1})", "u/l", 1, keyword);
                    Fragment(writer, level + 1, fragments.OffsetTable);
                    foreach (var fragment in fragments.Fragments)
                    {
                        Fragment(writer, level + 1, fragment);
                    }

                    Line(writer, level, DicomTag.SequenceDelimitationItem, "na", "(SequenceDelimitationItem)", "0", 0, "SequenceDelimitationItem");
                    break;
                case DicomValueElement value:
                    var (text, count) = ValueText(dataset, value);
                    Line(writer, level, element.Tag, element.Vr.ToString(), text, value.Length.ToString(CultureInfo.InvariantCulture), count, keyword);
                    break;
            }
        }
    }

    private static void Fragment(TextWriter writer, int level, DicomBuffer buffer)
    {
        var text = buffer.Length == 0 ? "(no value available)" : buffer.IsLoaded ? Hex(buffer.GetBytes()) : "(not loaded)";
        Line(writer, level, DicomTag.Item, "pi", text, buffer.Length.ToString(CultureInfo.InvariantCulture), 1, "Item");
    }

    private static (string Text, int Count) ValueText(DicomDataset dataset, DicomValueElement value)
    {
        if (value.Length == 0)
        {
            return ("(no value available)", 0);
        }

        if (!value.Buffer.IsLoaded)
        {
            return ("(not loaded)", 1);
        }

        var bytes = value.Buffer.GetBytes();
        if (DicomVrInfo.IsBulkBinary(value.Vr))
        {
            return (value.Vr == DicomVr.OW ? HexWords(bytes) : Hex(bytes), 1);
        }

        var values = DicomValueDecoder.Strings(value.Vr, bytes, dataset.CharacterSet.Encoding);
        var joined = string.Join('\\', values);
        return (DicomVrInfo.IsString(value.Vr) ? $"[{Shorten(joined)}]" : Shorten(joined), values.Length);
    }

    private static string Hex(byte[] bytes) =>
        Shorten(string.Join('\\', bytes.Take(MaxValueText / 3 + 1).Select(b => b.ToString("x2", CultureInfo.InvariantCulture))));

    private static string HexWords(byte[] bytes)
    {
        var words = Enumerable.Range(0, Math.Min(bytes.Length / 2, MaxValueText / 5 + 1))
            .Select(i => (bytes[i * 2] | (bytes[i * 2 + 1] << 8)).ToString("x4", CultureInfo.InvariantCulture));
        return Shorten(string.Join('\\', words));
    }

    private static string Shorten(string text) => text.Length <= MaxValueText ? text : string.Concat(text.AsSpan(0, MaxValueText - 3), "...");

    private static void Line(TextWriter writer, int level, DicomTag tag, string vr, string value, string length, int count, string keyword)
    {
        var line = new StringBuilder();
        line.Append(' ', level * 2).Append(CultureInfo.InvariantCulture, $"{tag} {vr} ");
        line.Append(value.PadRight(ValueWidth)).Append(CultureInfo.InvariantCulture, $" # {length,3}, {count} {keyword}");
        writer.WriteLine(line.ToString());
    }
}
