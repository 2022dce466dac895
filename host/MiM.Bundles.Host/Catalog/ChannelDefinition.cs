using System.Text.Json.Serialization;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// One output channel (a label value or a class) in <c>network_data_format.outputs.*.channel_def</c>. MONAI writes
/// a bare name ("liver"); a servable bundle writes an object with SNOMED CT codes and, for segments, a colour.
/// </summary>
[JsonConverter(typeof(ChannelDefinitionConverter))]
public sealed record ChannelDefinition
{
    /// <summary>Short name, e.g. "liver".</summary>
    public string? Name { get; init; }

    /// <summary>Segmented property category (segments), e.g. SCT 123037004 "Anatomical Structure".</summary>
    public CodeJson? Category { get; init; }

    /// <summary>Segmented property type (segments) or the class concept (classification).</summary>
    public CodeJson? Type { get; init; }

    /// <summary>Recommended display colour, [r, g, b] in 0–255 (segments).</summary>
    public IReadOnlyList<int>? Colour { get; init; }
}
