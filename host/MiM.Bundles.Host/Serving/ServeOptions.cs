namespace MiM.Bundles.Host.Serving;

/// <summary>
/// The settings of `mim serve`, bound from the "Mim:Serve" section of configs/appsettings.json (the bundle directory
/// and pins stay in "Mim:BundleDirectory" and "Mim:Bundles"). Checked at start by <see cref="ServeOptionsValidator"/>:
/// a bad setting stops the start with a message naming it.
/// </summary>
public sealed class ServeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mim:Serve";

    /// <summary>Our AE title; associations calling another are rejected.</summary>
    public string AeTitle { get; set; } = "MIMBUNDLES";

    /// <summary>The storage SCP's TCP port (0: any free port, printed and logged at start).</summary>
    public int Port { get; set; } = 11112;

    /// <summary>The address the SCP listens on.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Calling AE titles allowed to send; empty: anyone.</summary>
    public List<string> AllowedCallingAeTitles { get; set; } = [];

    /// <summary>Associations served at once.</summary>
    public int MaximumAssociations { get; set; } = 64;

    /// <summary>DICOM TLS for the SCP (PS3.15 B.1); null: plain TCP.</summary>
    public ServeTlsOptions? Tls { get; set; }

    /// <summary>Where the host keeps its state: inbox/, assembler/, jobs/, results/, outbox/, audit.jsonl.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Where results go, besides (or instead of) DICOM destinations.</summary>
    public List<ServeDestination> Destinations { get; set; } = [];

    /// <summary>A folder each result is also copied to (<c>&lt;folder&gt;/&lt;StudyUID&gt;/&lt;SOPInstanceUID&gt;.dcm</c>); null: none.</summary>
    public string? OutputFolder { get; set; }

    /// <summary>A folder watched for DICOM files: each is stored into the inbox (then deleted) as if it had come over the network; null: none.</summary>
    public string? WatchFolder { get; set; }

    /// <summary>A series is complete when none of its instances arrived for this long.</summary>
    public double QuietPeriodSeconds { get; set; } = 30;

    /// <summary>Series processed at once (each may run several bundles).</summary>
    public int MaxConcurrentSeries { get; set; } = 2;

    /// <summary>On SIGTERM, how long running jobs may take to finish before they are left for the next start.</summary>
    public double StopGraceSeconds { get; set; } = 30;

    /// <summary>Below this much free disk in the data directory the SCP refuses instances (A700).</summary>
    public long MinimumFreeMegabytes { get; set; } = 1024;

    /// <summary>
    /// Size of the inbox journal's segments in MiB; 0 (the default) fsyncs each instance in place. With a journal an
    /// instance is acknowledged once its record is fdatasynced, grouped across associations (docs/dicom-storage.md):
    /// measured faster only while other writers load the same disk (bench/README.md).
    /// </summary>
    public long InboxJournalSegmentMegabytes { get; set; }

    /// <summary>Delivery attempts per destination before a result is dead-lettered.</summary>
    public int DeliveryAttempts { get; set; } = 8;

    /// <summary>The first retry delay of a failed delivery (doubling up to ten minutes).</summary>
    public double DeliveryRetrySeconds { get; set; } = 10;

    /// <summary>Finished jobs, their results and source instances are removed after this many days (0: kept).</summary>
    public double RetentionDays { get; set; } = 30;

    /// <summary>Beyond this many gigabytes of instances and results, the oldest finished jobs' files are removed first (0: no budget).</summary>
    public double RetentionMaxGigabytes { get; set; }
}

/// <summary>TLS settings of the SCP.</summary>
public sealed class ServeTlsOptions
{
    /// <summary>PEM certificate (chain) of the host.</summary>
    public string CertificateFile { get; set; } = "";

    /// <summary>PEM private key, when not in the certificate file.</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>Whether peers must present a certificate.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>PEM certificates of the peers (or their CAs) trusted.</summary>
    public string? TrustedClientCertificatesFile { get; set; }
}

/// <summary>A DICOM destination results are sent to with C-STORE.</summary>
public sealed class ServeDestination
{
    /// <summary>A folder-safe name (letters, digits, '-', '_', '.'); defaults to the AE title in lower case.</summary>
    public string? Name { get; set; }

    /// <summary>The destination's (called) AE title.</summary>
    public string AeTitle { get; set; } = "";

    /// <summary>Host name or address.</summary>
    public string Host { get; set; } = "";

    /// <summary>TCP port.</summary>
    public int Port { get; set; } = 104;

    /// <summary>Our AE title towards it; defaults to <see cref="ServeOptions.AeTitle"/>.</summary>
    public string? CallingAeTitle { get; set; }

    /// <summary>DICOM TLS towards it; null: plain TCP.</summary>
    public ServeClientTlsOptions? Tls { get; set; }

    /// <summary>The name used for its outbox folder.</summary>
    public string EffectiveName => string.IsNullOrWhiteSpace(Name)
        ? new string([.. AeTitle.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')])
        : Name;

    /// <summary>Parses <c>AE@host:port</c> (the command line form).</summary>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    public static ServeDestination Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var colon = text.LastIndexOf(':');
        if (at <= 0 || colon <= at + 1 || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
        {
            throw new FormatException($"destination '{text}': expected AE@host:port");
        }

        return new ServeDestination { AeTitle = text[..at], Host = text[(at + 1)..colon], Port = port };
    }
}

/// <summary>TLS settings towards one destination.</summary>
public sealed class ServeClientTlsOptions
{
    /// <summary>PEM certificates trusted for the destination (its CA); null: the system's.</summary>
    public string? TrustedCertificatesFile { get; set; }

    /// <summary>Our PEM certificate, when the destination asks for one.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>Our PEM private key.</summary>
    public string? ClientPrivateKeyFile { get; set; }

    /// <summary>Whether the destination's certificate must name its host.</summary>
    public bool CheckHostName { get; set; }
}
