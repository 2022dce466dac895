using MiM.Bundles.Cli.Configuration;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>The channel_def of a segmentation head: class names from training, codes and colours from a segments file matched by name.</summary>
internal static class SegmentCodes
{
    public static Dictionary<string, ChannelDefinition> ChannelDef(IReadOnlyList<string> classNames, string? segmentsFile)
    {
        var known = segmentsFile is not null && File.Exists(segmentsFile) ? SegmentsFile.Read(segmentsFile).Segments : [];
        var channels = new Dictionary<string, ChannelDefinition>(StringComparer.Ordinal);
        for (var i = 0; i < classNames.Count; i++)
        {
            var name = classNames[i];
            var segment = i == 0 ? null : known.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
            channels[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = segment is null
                ? new ChannelDefinition { Name = name }
                : new ChannelDefinition
                {
                    Name = name,
                    Category = CodeJson.From(segment.Category),
                    Type = CodeJson.From(segment.Type),
                    Colour = [segment.Colour.R, segment.Colour.G, segment.Colour.B],
                };
        }

        return channels;
    }

    /// <summary>The segments file used when none is given: configs/segments/phantom-abdomen.json of the config folder.</summary>
    public static string DefaultFile => Path.Combine(MimPaths.Resolve(Environment.GetEnvironmentVariable).ConfigDirectory, "segments", "phantom-abdomen.json");

    /// <summary>A description for the README.</summary>
    public static string Describe(ChannelDefinition c) => c.Type is { IsComplete: true } t ? $"{t.Scheme} {t.Code} {t.Meaning}" : "NO CODE";
}
