using System.Globalization;
using System.Text.Json;
using MiM.Bundles.Contracts.Results;

namespace MiM.Bundles.Cli.Configuration;

/// <summary>
/// The segments file of `mim dicom seg` (JSON, comments allowed): what each label value of a label map means and,
/// optionally, which algorithm made it. Example: configs/segments/phantom-abdomen.json.
/// <code>
/// {
///   "algorithm": { "name": "abdomen-ct-seg", "version": "1.0.0" },          // optional
///   "segments": [
///     { "label": 1, "name": "liver",
///       "category": { "scheme": "SCT", "code": "123037004", "meaning": "Anatomical Structure" },
///       "type":     { "scheme": "SCT", "code": "10200004",  "meaning": "Liver" },
///       "colour": "#DD8265" }                                                // or [221, 130, 101]
///   ]
/// }
/// </code>
/// </summary>
/// <param name="Segments">The segments, in file order.</param>
/// <param name="AlgorithmName">The algorithm (bundle) name, when the file names one.</param>
/// <param name="AlgorithmVersion">The algorithm (bundle) version, when the file names one.</param>
internal sealed record SegmentsFile(IReadOnlyList<SegmentDescription> Segments, string? AlgorithmName, string? AlgorithmVersion)
{
    /// <summary>Reads and checks a segments file.</summary>
    /// <exception cref="FormatException">The file is not valid JSON or a segment is incomplete; the message names the file, the segment and what was expected.</exception>
    public static SegmentsFile Read(string path)
    {
        using var document = JsonInputFile.Parse(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("segments", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            throw new FormatException($"{path}: expected an object with a non-empty \"segments\" array");
        }

        var segments = list.EnumerateArray().Select((s, n) => Segment(path, s, n)).ToList();
        var repeated = segments.GroupBy(s => s.Value).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new FormatException($"{path}: label {repeated.Key} is described {repeated.Count()} times; expected each label once");
        }

        string? name = null, version = null;
        if (root.TryGetProperty("algorithm", out var algorithm))
        {
            name = CodedConceptJson.Text(path, "algorithm", algorithm, "name");
            version = CodedConceptJson.Text(path, "algorithm", algorithm, "version");
        }

        return new SegmentsFile(segments, name, version);
    }

    private static SegmentDescription Segment(string path, JsonElement s, int index)
    {
        var where = $"segment {index + 1}";
        if (s.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{path}: {where}: expected an object");
        }

        if (!s.TryGetProperty("label", out var label) || !label.TryGetInt32(out var value) || value is < 1 or > ushort.MaxValue)
        {
            throw new FormatException($"{path}: {where}: expected \"label\", a whole number 1..65535 (0 is background)");
        }

        where = $"segment {index + 1} (label {value})";
        var name = CodedConceptJson.Text(path, where, s, "name");
        return new SegmentDescription((ushort)value, name, CodedConceptJson.Code(path, where, s, "category"), CodedConceptJson.Code(path, where, s, "type"), Colour(path, where, s));
    }

    private static RgbColour Colour(string path, string where, JsonElement s)
    {
        const string Expected = "expected \"colour\": \"#RRGGBB\" or [r, g, b] with 0..255";
        if (!s.TryGetProperty("colour", out var colour))
        {
            throw new FormatException($"{path}: {where}: {Expected}");
        }

        if (colour.ValueKind == JsonValueKind.String && colour.GetString() is { Length: 7 } hex && hex[0] == '#'
            && int.TryParse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
        {
            return new RgbColour((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
        }

        if (colour.ValueKind == JsonValueKind.Array && colour.GetArrayLength() == 3)
        {
            var c = colour.EnumerateArray().Select(v => v.TryGetInt32(out var x) && x is >= 0 and <= 255 ? x : -1).ToArray();
            if (c.All(x => x >= 0))
            {
                return new RgbColour((byte)c[0], (byte)c[1], (byte)c[2]);
            }
        }

        throw new FormatException($"{path}: {where}: {Expected}");
    }
}
