using System.Security.Cryptography;

namespace MiM.Bundles.Packaging.Keys;

/// <summary>The labelled PEM blocks of a key file (RFC 7468 text; anything between blocks is ignored).</summary>
internal sealed class PemBlocks
{
    private readonly Dictionary<string, byte[]> blocks = new(StringComparer.Ordinal);

    public static PemBlocks Parse(string text, string source)
    {
        var result = new PemBlocks();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            if (!result.blocks.TryAdd(label, Convert.FromBase64String(rest[fields.Base64Data].ToString())))
            {
                throw new FormatException($"{source}: two '{label}' PEM blocks");
            }

            rest = rest[fields.Location.End..];
        }

        return result;
    }

    public byte[]? Optional(string label) => blocks.GetValueOrDefault(label);

    public byte[] Required(string label, string source) =>
        blocks.TryGetValue(label, out var data) ? data : throw new FormatException($"{source}: no '{label}' PEM block");
}
