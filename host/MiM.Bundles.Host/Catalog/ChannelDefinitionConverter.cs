using System.Text.Json;
using System.Text.Json.Serialization;

namespace MiM.Bundles.Host.Catalog;

/// <summary>Reads a channel definition written either MONAI's way (a bare name) or ours (an object with codes).</summary>
internal sealed class ChannelDefinitionConverter : JsonConverter<ChannelDefinition>
{
    public override ChannelDefinition? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new ChannelDefinition { Name = reader.GetString() };
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A channel definition is a name or an object with name, category, type and colour.");
        }

        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        return new ChannelDefinition
        {
            Name = root.TryGetProperty("name", out var name) ? name.GetString() : null,
            Category = root.TryGetProperty("category", out var category) ? category.Deserialize<CodeJson>(options) : null,
            Type = root.TryGetProperty("type", out var type) ? type.Deserialize<CodeJson>(options) : null,
            Colour = root.TryGetProperty("colour", out var colour) ? colour.Deserialize<int[]>(options) : null,
        };
    }

    public override void Write(Utf8JsonWriter writer, ChannelDefinition value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        if (value.Category is not null)
        {
            writer.WritePropertyName("category");
            JsonSerializer.Serialize(writer, value.Category, options);
        }

        if (value.Type is not null)
        {
            writer.WritePropertyName("type");
            JsonSerializer.Serialize(writer, value.Type, options);
        }

        if (value.Colour is not null)
        {
            writer.WritePropertyName("colour");
            JsonSerializer.Serialize(writer, value.Colour, options);
        }

        writer.WriteEndObject();
    }
}
