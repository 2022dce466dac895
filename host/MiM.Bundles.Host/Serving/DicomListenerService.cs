using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.Scp;
using MiM.Bundles.Dicom.Network.Security;

namespace MiM.Bundles.Host.Serving;

/// <summary>
/// The storage SCP on the durable inbox. Started last and stopped first: on SIGTERM the host stops accepting
/// associations before anything else stops (open associations are aborted; their partial instances were never
/// acknowledged, so the sender sends them again).
/// </summary>
public sealed class DicomListenerService(DurableInbox inbox, IOptions<ServeOptions> options, ILoggerFactory loggers) : IHostedService, IDicomListenerState, IAsyncDisposable
{
    private DicomScp? _scp;

    /// <inheritdoc/>
    public bool IsListening { get; private set; }

    /// <summary>The port listened on (useful with port 0).</summary>
    public int Port => _scp?.LocalEndPoint.Port ?? 0;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        _scp = new DicomScp(
            new DicomScpOptions
            {
                AeTitle = o.AeTitle,
                Port = o.Port,
                BindAddress = IPAddress.Parse(o.BindAddress),
                AllowedCallingAeTitles = o.AllowedCallingAeTitles.Count == 0 ? null : o.AllowedCallingAeTitles,
                MaximumAssociations = o.MaximumAssociations,
                Tls = o.Tls is { } tls
                    ? new TlsServerOptions
                    {
                        CertificateFile = tls.CertificateFile,
                        PrivateKeyFile = tls.PrivateKeyFile,
                        RequireClientCertificate = tls.RequireClientCertificate,
                        TrustedClientCertificatesFile = tls.TrustedClientCertificatesFile,
                    }
                    : null,
            },
            inbox,
            loggers.CreateLogger<DicomScp>());
        _scp.Start();
        IsListening = true;
        var logger = loggers.CreateLogger<DicomListenerService>();
        ServeLog.Listening(logger, o.AeTitle, o.BindAddress, Port);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        IsListening = false;
        if (_scp is not null)
        {
            await _scp.StopAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_scp is not null)
        {
            await _scp.DisposeAsync().ConfigureAwait(false);
        }
    }
}
