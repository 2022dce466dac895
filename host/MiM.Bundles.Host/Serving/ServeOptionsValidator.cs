using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using MiM.Bundles.Dicom.Network.Outbox;

namespace MiM.Bundles.Host.Serving;

/// <summary>Checks every setting of <see cref="ServeOptions"/> at start and names each bad one ("Mim:Serve:Port: …").</summary>
public sealed class ServeOptionsValidator : IValidateOptions<ServeOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ServeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Fail(string field, string message) => failures.Add($"{ServeOptions.Section}:{field}: {message}");

        if (!IsAeTitle(options.AeTitle))
        {
            Fail("AeTitle", $"'{options.AeTitle}' is not an AE title (1-16 printable ASCII characters, no backslash)");
        }

        if (options.Port is < 0 or > 65535)
        {
            Fail("Port", $"{options.Port} is outside 0..65535");
        }

        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            Fail("BindAddress", $"'{options.BindAddress}' is not an IP address");
        }

        for (var i = 0; i < options.AllowedCallingAeTitles.Count; i++)
        {
            if (!IsAeTitle(options.AllowedCallingAeTitles[i]))
            {
                Fail($"AllowedCallingAeTitles:{i}", $"'{options.AllowedCallingAeTitles[i]}' is not an AE title");
            }
        }

        if (options.MaximumAssociations < 1)
        {
            Fail("MaximumAssociations", "must be at least 1");
        }

        if (options.Tls is { } tls)
        {
            RequireFile(Fail, "Tls:CertificateFile", tls.CertificateFile);
            OptionalFile(Fail, "Tls:PrivateKeyFile", tls.PrivateKeyFile);
            OptionalFile(Fail, "Tls:TrustedClientCertificatesFile", tls.TrustedClientCertificatesFile);
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            Fail("DataDirectory", "must name a folder");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Destinations.Count; i++)
        {
            var d = options.Destinations[i];
            try
            {
                ToDestination(d, options.AeTitle);
                if (!names.Add(d.EffectiveName))
                {
                    Fail($"Destinations:{i}:Name", $"'{d.EffectiveName}' is used twice (names are folder names, case-insensitive)");
                }
            }
            catch (ArgumentException e)
            {
                Fail($"Destinations:{i}", e.Message);
            }

            if (d.Tls is { } clientTls)
            {
                OptionalFile(Fail, $"Destinations:{i}:Tls:TrustedCertificatesFile", clientTls.TrustedCertificatesFile);
                OptionalFile(Fail, $"Destinations:{i}:Tls:ClientCertificateFile", clientTls.ClientCertificateFile);
                OptionalFile(Fail, $"Destinations:{i}:Tls:ClientPrivateKeyFile", clientTls.ClientPrivateKeyFile);
            }
        }

        if (options.WatchFolder is { Length: > 0 } watch && !Directory.Exists(watch))
        {
            Fail("WatchFolder", $"'{watch}' does not exist");
        }

        // Files copied into the folder reach the inbox a settle time and a pass apart at worst; a shorter quiet period
        // would hand on half a series and start a second generation with the rest.
        var folderGap = (WatchedFolderService.Settle + WatchedFolderService.PassInterval).TotalSeconds;
        if (options.WatchFolder is { Length: > 0 } && options.QuietPeriodSeconds > 0 && options.QuietPeriodSeconds <= folderGap)
        {
            Fail("QuietPeriodSeconds", $"{options.QuietPeriodSeconds.ToString(CultureInfo.InvariantCulture)} s is too short with a watched folder: it must exceed {folderGap.ToString(CultureInfo.InvariantCulture)} s (the folder's settle time plus one pass)");
        }

        Positive(Fail, "QuietPeriodSeconds", options.QuietPeriodSeconds);
        Positive(Fail, "StopGraceSeconds", options.StopGraceSeconds);
        Positive(Fail, "DeliveryRetrySeconds", options.DeliveryRetrySeconds);
        if (options.MaxConcurrentSeries < 1)
        {
            Fail("MaxConcurrentSeries", "must be at least 1");
        }

        if (options.DeliveryAttempts < 1)
        {
            Fail("DeliveryAttempts", "must be at least 1");
        }

        if (options.InboxJournalSegmentMegabytes is < 0 or > 4096)
        {
            Fail("InboxJournalSegmentMegabytes", $"{options.InboxJournalSegmentMegabytes} is outside 0..4096 (0: no journal; 32 is a good size)");
        }

        if (options.MinimumFreeMegabytes < 0 || options.RetentionDays < 0 || options.RetentionMaxGigabytes < 0)
        {
            Fail(options.MinimumFreeMegabytes < 0 ? "MinimumFreeMegabytes" : options.RetentionDays < 0 ? "RetentionDays" : "RetentionMaxGigabytes", "must not be negative");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The outbox's form of a destination; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static DicomDestination ToDestination(ServeDestination destination, string ourAeTitle)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return new DestinationOptions
        {
            Name = destination.EffectiveName,
            AeTitle = destination.AeTitle,
            Host = destination.Host,
            Port = destination.Port,
            CallingAeTitle = destination.CallingAeTitle ?? ourAeTitle,
        }.ToDestination();
    }

    private static bool IsAeTitle(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= 16 && !value.Any(c => c is < ' ' or > '~' or '\\');

    private static void Positive(Action<string, string> fail, string field, double value)
    {
        if (!(value > 0))
        {
            fail(field, $"must be a positive number of seconds, is {value}");
        }
    }

    private static void RequireFile(Action<string, string> fail, string field, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            fail(field, "missing");
        }
        else
        {
            OptionalFile(fail, field, path);
        }
    }

    private static void OptionalFile(Action<string, string> fail, string field, string? path)
    {
        if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path))
        {
            fail(field, $"'{path}' does not exist");
        }
    }
}
