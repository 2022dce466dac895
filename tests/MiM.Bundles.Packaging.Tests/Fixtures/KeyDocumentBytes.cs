using System.Text.Json;
using MiM.Bundles.Packaging.Keys;

namespace MiM.Bundles.Packaging.Tests.Fixtures;

public static class KeyDocumentBytes
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>The bytes the library writes for a key document (same settings).</summary>
    public static byte[] ToBytesForTest(this PublisherKeyDocument document) => JsonSerializer.SerializeToUtf8Bytes(document, Options);
}
