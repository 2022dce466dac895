using System.Buffers.Binary;
using System.Text.Json;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// Reads the header of a safetensors file (8-byte little-endian length, then JSON: name → dtype, shape, offsets)
/// without reading tensor data, so weights are checked without TorchSharp.
/// </summary>
public static class SafetensorsHeader
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Tensor name → shape, every tensor of the file.</summary>
    /// <exception cref="InvalidDataException">The file is not a safetensors file.</exception>
    public static IReadOnlyDictionary<string, long[]> ReadShapes(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
        {
            throw new InvalidDataException("shorter than a safetensors header");
        }

        var length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (length == 0 || length > (ulong)Math.Min(MaxHeaderBytes, stream.Length - 8))
        {
            throw new InvalidDataException($"header length {length} does not fit the file ({stream.Length} bytes)");
        }

        var header = new byte[length];
        stream.ReadExactly(header);
        try
        {
            using var document = JsonDocument.Parse(header);
            var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
            foreach (var tensor in document.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"))
            {
                shapes[tensor.Name] = [.. tensor.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
            }

            return shapes;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"malformed safetensors header: {e.Message}", e);
        }
    }
}
