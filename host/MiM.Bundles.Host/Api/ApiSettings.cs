namespace MiM.Bundles.Host.Api;

/// <summary>
/// Settings of the REST API ("Api" in appsettings.json). On a loopback address the API may run plain HTTP without a key;
/// on any other address it refuses to start unless it has both a TLS certificate and an API key, because it can unload
/// the bundles that serve patients and reveals study UIDs.
/// </summary>
public sealed record ApiSettings
{
    /// <summary>
    /// The default address: loopback only. Not Orthanc's 8042, so that a host and an Orthanc (often the router on the
    /// same machine) can both keep their defaults.
    /// </summary>
    public const string DefaultUrl = "http://127.0.0.1:8044";

    /// <summary>Where the API listens: <c>http[s]://ADDRESS:PORT</c> with an IP address, <c>localhost</c>, <c>0.0.0.0</c>, <c>[::]</c> or <c>*</c>; port 0 picks a free one.</summary>
    public string Url { get; init; } = DefaultUrl;

    /// <summary>The TLS certificate: a PEM certificate (with <see cref="CertificateKeyFile"/>) or a PKCS#12 file holding its key. Requires an https URL.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>The PEM private key of <see cref="CertificateFile"/>; null when the certificate file holds the key.</summary>
    public string? CertificateKeyFile { get; init; }

    /// <summary>
    /// The key every call but /health/* must present (header <c>X-Api-Key</c>, or <c>Authorization: Bearer</c> for
    /// Prometheus); null: no key asked (loopback only). At least <see cref="MinimumApiKeyLength"/> characters.
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>The host's data folder (inbox, jobs, outbox): readiness checks the free space of its volume.</summary>
    public string DataDirectory { get; init; } = ".";

    /// <summary>Below this many free bytes on the data folder's volume the host reports not ready (default 1 GiB, the inbox's own refusal threshold).</summary>
    public long MinimumFreeDiskBytes { get; init; } = 1L << 30;

    /// <summary>The shortest API key accepted: a guessable key on a network address is no key.</summary>
    public const int MinimumApiKeyLength = 16;
}
