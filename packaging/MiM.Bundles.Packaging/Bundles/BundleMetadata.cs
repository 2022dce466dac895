using System.Text.Json;
using MiM.Bundles.Packaging.Refusals;

namespace MiM.Bundles.Packaging.Bundles;

/// <summary>
/// The few fields of configs/metadata.json that distribution needs: id, version, changelog, requires and
/// contracts_version. The full validation of a bundle is the catalog's job, not this one's.
/// </summary>
/// <param name="Id">The bundle id.</param>
/// <param name="Version">The version string (semver).</param>
/// <param name="Changelog">The changelog text for this version, or the changelog as JSON when it is not a string.</param>
/// <param name="Requires">Other bundles it needs, id to npm-style range, e.g. {"mim-encoder": "^1.0"}.</param>
/// <param name="ContractsVersion">The host contracts version it was built against.</param>
public sealed record BundleMetadata(
    string Id,
    string Version,
    string? Changelog,
    IReadOnlyDictionary<string, string> Requires,
    string? ContractsVersion)
{
    /// <summary>Reads the fields from the bytes of a metadata.json; refuses a file without id or version.</summary>
    public static BundleMetadata Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            // Duplicate keys refused: the catalog's reader must not see another id or version than this one.
            using var document = JsonDocument.Parse(bytes.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false, CommentHandling = JsonCommentHandling.Skip });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new BundleRefusedException(RefusalReason.Malformed, "configs/metadata.json is not a JSON object");
            }

            var id = Text(root, "id") ?? throw new BundleRefusedException(RefusalReason.Malformed, "configs/metadata.json has no \"id\"");
            var version = Text(root, "version") ?? throw new BundleRefusedException(RefusalReason.Malformed, "configs/metadata.json has no \"version\"");
            var requires = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("requires", out var required) && required.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in required.EnumerateObject())
                {
                    requires[property.Name] = property.Value.ToString();
                }
            }

            string? changelog = null;
            if (root.TryGetProperty("changelog", out var log))
            {
                // MONAI writes the changelog as {"version": "text", ...}; take this version's line when there is one.
                changelog = log.ValueKind switch
                {
                    JsonValueKind.String => log.GetString(),
                    JsonValueKind.Object when log.TryGetProperty(version, out var line) => line.ToString(),
                    _ => log.GetRawText(),
                };
            }

            var contracts = root.TryGetProperty("contracts_version", out var c) ? c.ToString() : null;
            return new BundleMetadata(id, version, changelog, requires, contracts);
        }
        catch (JsonException e)
        {
            throw new BundleRefusedException(RefusalReason.Malformed, $"configs/metadata.json is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Reads configs/metadata.json under the bundle folder <paramref name="bundleDirectory"/>.</summary>
    public static BundleMetadata Read(string bundleDirectory) =>
        Parse(File.ReadAllBytes(Path.Combine(bundleDirectory, "configs", "metadata.json")));

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
