using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MiM.Bundles.Dicom.Core;

namespace MiM.Bundles.Dicom.Dump;

/// <summary>
/// Renders a data set in the DICOM JSON model (PS3.18 annex F.2):
/// <c>{"00100010": {"vr": "PN", "Value": [{"Alphabetic": "Doe^John"}]}}</c>. IS and DS become JSON numbers (a value
/// that is not a number stays a string), binary VRs InlineBinary base64, empty values have no "Value".
/// File meta information (group 0002) is not part of the model and is skipped, as dcm2json does.
/// </summary>
public static class DicomJsonWriter
{
    /// <summary>Writes the data set as JSON to a stream (UTF-8).</summary>
    public static void Write(DicomDataset dataset, Stream stream, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(stream);
        var opts = options ?? DicomJsonOptions.Default;
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = opts.Indented,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            MaxDepth = 1024,
        });
        WriteDataset(json, dataset, opts);
    }

    /// <summary>The data set as a JSON string.</summary>
    public static string ToJson(DicomDataset dataset, DicomJsonOptions? options = null)
    {
        using var memory = new MemoryStream();
        Write(dataset, memory, options);
        return Encoding.UTF8.GetString(memory.ToArray());
    }

    private static void WriteDataset(Utf8JsonWriter json, DicomDataset dataset, DicomJsonOptions options)
    {
        json.WriteStartObject();
        foreach (var element in dataset)
        {
            if (element.Tag.Group == 0x0002)
            {
                continue;
            }

            json.WritePropertyName(element.Tag.Value.ToString("X8", CultureInfo.InvariantCulture));
            json.WriteStartObject();
            json.WriteString("vr", element.Vr.ToString());
            switch (element)
            {
                case DicomSequence sequence when sequence.Items.Count > 0:
                    json.WriteStartArray("Value");
                    foreach (var item in sequence.Items)
                    {
                        WriteDataset(json, item, options);
                    }

                    json.WriteEndArray();
                    break;
                case DicomValueElement value when value.Length > 0:
                    WriteValue(json, dataset, value, options);
                    break;
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, DicomDataset dataset, DicomValueElement element, DicomJsonOptions options)
    {
        var isPixelData = element.Tag.Group == 0x7FE0 && element.Tag.Element is 0x0008 or 0x0009 or 0x0010;
        if (isPixelData && !options.IncludePixelData)
        {
            return;
        }

        var vr = element.Vr;
        var bytes = element.Buffer.GetBytes();
        if (DicomVrInfo.IsBulkBinary(vr))
        {
            json.WriteString("InlineBinary", Convert.ToBase64String(bytes));
            return;
        }

        var strings = DicomVrInfo.IsString(vr) ? DicomValueDecoder.Strings(vr, bytes, dataset.CharacterSet.Encoding) : [];
        if (DicomVrInfo.IsString(vr) && strings.All(t => IsEmpty(vr, t)))
        {
            // Only padding ("  ", or "^^^^" for a name): an empty value, written without "Value" as dcm2json does.
            return;
        }

        json.WriteStartArray("Value");
        if (vr == DicomVr.AT)
        {
            foreach (var tag in DicomValueDecoder.Tags(bytes))
            {
                json.WriteStringValue(tag.Value.ToString("X8", CultureInfo.InvariantCulture));
            }
        }
        else if (DicomVrInfo.IsString(vr))
        {
            foreach (var text in strings)
            {
                WriteString(json, vr, text);
            }
        }
        else if (vr is DicomVr.FL or DicomVr.FD)
        {
            foreach (var number in DicomValueDecoder.Doubles(vr, bytes, dataset.CharacterSet.Encoding, element.Tag))
            {
                WriteDouble(json, number);
            }
        }
        else if (vr == DicomVr.UV)
        {
            foreach (var number in DicomValueDecoder.Longs(vr, bytes, dataset.CharacterSet.Encoding, element.Tag))
            {
                json.WriteNumberValue(unchecked((ulong)number));
            }
        }
        else
        {
            foreach (var number in DicomValueDecoder.Longs(vr, bytes, dataset.CharacterSet.Encoding, element.Tag))
            {
                json.WriteNumberValue(number);
            }
        }

        json.WriteEndArray();
    }

    private static bool IsEmpty(DicomVr vr, string text) => (vr == DicomVr.PN ? text.Trim('^', '=') : text).Length == 0;

    private static void WriteString(Utf8JsonWriter json, DicomVr vr, string text)
    {
        if (IsEmpty(vr, text))
        {
            json.WriteNullValue();
            return;
        }

        switch (vr)
        {
            case DicomVr.PN:
                var groups = text.Split('=');
                string[] names = ["Alphabetic", "Ideographic", "Phonetic"];
                json.WriteStartObject();
                for (var i = 0; i < Math.Min(groups.Length, names.Length); i++)
                {
                    if (groups[i].Length > 0)
                    {
                        json.WriteString(names[i], groups[i]);
                    }
                }

                json.WriteEndObject();
                return;
            case DicomVr.IS when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer):
                json.WriteNumberValue(integer);
                return;
            case DicomVr.DS when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number):
                json.WriteNumberValue(number);
                return;
            default:
                json.WriteStringValue(text);
                return;
        }
    }

    private static void WriteDouble(Utf8JsonWriter json, double number)
    {
        // JSON has no NaN or infinity; PS3.18 leaves them out, a string keeps the information.
        if (double.IsFinite(number))
        {
            json.WriteNumberValue(number);
        }
        else
        {
            json.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
        }
    }
}
