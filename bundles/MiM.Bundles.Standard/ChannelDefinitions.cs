using System.Globalization;
using System.Text.Json;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Results;

namespace MiM.Bundles.Standard;

/// <summary>Reads the first output's channel_def of a bundle's configs/metadata.json into the contract's segment and class descriptions.</summary>
internal static class ChannelDefinitions
{
    public static IReadOnlyList<SegmentDescription> Segments(string folder) =>
        [.. Channels(folder).Where(c => c.Index > 0).Select(c => new SegmentDescription(
            (ushort)c.Index, Name(c.Value), Code(c.Value, "category"), Code(c.Value, "type"), Colour(c.Value)))];

    public static IReadOnlyList<CodedConcept> Classes(string folder) => [.. Channels(folder).Select(c => Code(c.Value, "type"))];

    private static IEnumerable<(int Index, JsonElement Value)> Channels(string folder)
    {
        var path = Path.Combine(folder, "configs", "metadata.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var outputs = document.RootElement.GetProperty("network_data_format").GetProperty("outputs");
        var first = outputs.EnumerateObject().FirstOrDefault();
        if (first.Value.ValueKind != JsonValueKind.Object || !first.Value.TryGetProperty("channel_def", out var channels))
        {
            throw new BundleLoadException("configs/metadata.json: network_data_format.outputs has no channel_def");
        }

        return [.. channels.EnumerateObject()
            .Select(c => (int.Parse(c.Name, CultureInfo.InvariantCulture), c.Value.Clone()))
            .OrderBy(c => c.Item1)];
    }

    private static string Name(JsonElement channel) =>
        channel.ValueKind == JsonValueKind.String ? channel.GetString()! : channel.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";

    private static CodedConcept Code(JsonElement channel, string field) =>
        channel.ValueKind == JsonValueKind.Object && channel.TryGetProperty(field, out var c)
            ? new CodedConcept(c.GetProperty("code").GetString()!, c.GetProperty("scheme").GetString()!, c.GetProperty("meaning").GetString()!)
            : throw new BundleLoadException($"configs/metadata.json: channel \"{Name(channel)}\" has no {field} code");

    private static RgbColour Colour(JsonElement channel)
    {
        var rgb = channel.GetProperty("colour").EnumerateArray().Select(v => (byte)v.GetInt32()).ToArray();
        return new RgbColour(rgb[0], rgb[1], rgb[2]);
    }
}
