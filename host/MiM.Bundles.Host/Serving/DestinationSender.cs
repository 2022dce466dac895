using Microsoft.Extensions.Logging;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scu;
using MiM.Bundles.Dicom.Network.Security;

namespace MiM.Bundles.Host.Serving;

/// <summary>Sends to each destination with its own TLS settings: one <see cref="DicomScu"/> per destination.</summary>
public sealed class DestinationSender : IDicomSender
{
    private readonly Dictionary<string, DicomScu> _senders = new(StringComparer.OrdinalIgnoreCase);
    private readonly DicomScu _plain;

    /// <summary>Prepares a sender for each configured destination.</summary>
    public DestinationSender(IEnumerable<ServeDestination> destinations, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        ArgumentNullException.ThrowIfNull(loggers);
        _plain = new DicomScu(null, loggers.CreateLogger<DicomScu>());
        foreach (var d in destinations.Where(d => d.Tls is not null))
        {
            _senders[d.EffectiveName] = new DicomScu(
                new DicomScuOptions
                {
                    Tls = new TlsClientOptions
                    {
                        TrustedCertificatesFile = d.Tls!.TrustedCertificatesFile,
                        ClientCertificateFile = d.Tls.ClientCertificateFile,
                        ClientPrivateKeyFile = d.Tls.ClientPrivateKeyFile,
                        CheckHostName = d.Tls.CheckHostName,
                    },
                },
                loggers.CreateLogger<DicomScu>());
        }
    }

    /// <summary>The SCU used for <paramref name="destination"/> (also for C-ECHO tests).</summary>
    public DicomScu For(string destination) => _senders.GetValueOrDefault(destination) ?? _plain;

    /// <inheritdoc/>
    public Task<IReadOnlyList<FileSendOutcome>> SendAsync(DicomDestination destination, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return For(destination.Name).SendAsync(destination, files, cancellationToken);
    }
}
