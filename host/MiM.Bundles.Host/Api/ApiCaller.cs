using System.Text;
using Microsoft.AspNetCore.Http;

namespace MiM.Bundles.Host.Api;

/// <summary>
/// Who asked, for the audit log: the peer's address, whether it presented the API key, and the optional
/// <c>X-Requested-By</c> header (a person's or a tool's name; printable ASCII, cut at 64 characters).
/// </summary>
public static class ApiCaller
{
    /// <summary>The header a caller may name itself with.</summary>
    public const string RequestedByHeader = "X-Requested-By";

    /// <summary>"api 10.0.0.5 (key) as alice", "api 127.0.0.1".</summary>
    public static string Describe(HttpContext context, bool keyChecked)
    {
        ArgumentNullException.ThrowIfNull(context);
        var text = new StringBuilder("api ").Append(context.Connection.RemoteIpAddress?.ToString() ?? "?");
        if (keyChecked)
        {
            text.Append(" (key)");
        }

        if (context.Request.Headers.TryGetValue(RequestedByHeader, out var name) && name.Count == 1 && Clean(name[0]) is { Length: > 0 } clean)
        {
            text.Append(" as ").Append(clean);
        }

        return text.ToString();
    }

    // The value lands in the audit log and the journal: no control characters that could forge lines.
    private static string Clean(string? value) => new([.. (value ?? string.Empty).Where(c => c is >= ' ' and <= '~').Take(64)]);
}
