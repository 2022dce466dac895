using System.Globalization;
using System.Net;

namespace MiM.Bundles.Host.Api;

/// <summary>The parsed <see cref="ApiSettings.Url"/>: scheme, the address Kestrel binds and whether only this machine can reach it.</summary>
/// <param name="Https">True for an https URL.</param>
/// <param name="Address">The address to bind; <see cref="IPAddress.IPv6Any"/> for every interface.</param>
/// <param name="Port">The TCP port; 0 picks a free one.</param>
/// <param name="IsLocalhost">True for <c>localhost</c>, which binds both loopback addresses.</param>
public sealed record ApiAddress(bool Https, IPAddress Address, int Port, bool IsLocalhost)
{
    /// <summary>True when only processes on this machine can connect.</summary>
    public bool IsLoopback => IsLocalhost || IPAddress.IsLoopback(Address);

    /// <summary>Parses <paramref name="url"/>; a message naming the setting when it is not usable.</summary>
    public static bool TryParse(string? url, out ApiAddress? address, out string? error)
    {
        address = null;
        error = null;
        // "*" and "+" are ASP.NET Core's spellings of "every interface"; Uri does not take them as host names.
        var normalised = url?.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalised, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error = $"Api:Url \"{url}\" is not an http:// or https:// URL";
            return false;
        }

        if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            error = $"Api:Url \"{url}\" has a path; the API serves from the root";
            return false;
        }

        var https = uri.Scheme == Uri.UriSchemeHttps;
        var host = uri.IdnHost;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = new ApiAddress(https, IPAddress.Loopback, uri.Port, IsLocalhost: true);
            return true;
        }

        if (!IPAddress.TryParse(host, out var ip))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"Api:Url host \"{uri.Host}\" is not an IP address: use an address of this machine, localhost, 0.0.0.0 or [::]");
            return false;
        }

        address = new ApiAddress(https, ip.Equals(IPAddress.Any) ? IPAddress.IPv6Any : ip, uri.Port, IsLocalhost: false);
        return true;
    }
}
