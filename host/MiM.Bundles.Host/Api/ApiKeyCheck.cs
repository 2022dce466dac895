using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MiM.Bundles.Host.Api;

/// <summary>
/// Asks every request but /health/* for the API key, in the <c>X-Api-Key</c> header or as <c>Authorization: Bearer</c>
/// (what Prometheus sends). The comparison takes the same time whatever the key, so timing does not reveal it.
/// </summary>
public sealed class ApiKeyCheck
{
    /// <summary>The header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";

    private readonly byte[]? _expected;

    /// <summary>Checks against <paramref name="apiKey"/>; null lets every request through.</summary>
    public ApiKeyCheck(string? apiKey) => _expected = apiKey is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    /// <summary>True when a key is asked for.</summary>
    public bool Enabled => _expected is not null;

    /// <summary>True when <paramref name="request"/> may proceed.</summary>
    public bool Allows(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_expected is null || request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
        {
            return true;
        }

        var presented = Presented(request);

        // Hashing first makes both sides the same length, so FixedTimeEquals does not leak the key's length either.
        return presented is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _expected);
    }

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var key) && key.Count == 1)
        {
            return key[0];
        }

        const string bearer = "Bearer ";
        var authorization = request.Headers.Authorization;
        return authorization.Count == 1 && authorization[0] is { } value && value.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
            ? value[bearer.Length..].Trim()
            : null;
    }
}
