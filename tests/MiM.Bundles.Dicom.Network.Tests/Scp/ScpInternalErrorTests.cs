using System.Net;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Dicom.Network.Dimse;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scp;
using MiM.Bundles.Dicom.Network.Scu;
using MiM.Bundles.Dicom.Network.Security;
using MiM.Bundles.Dicom.Network.Tests.Outbox;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Dicom.Network.UpperLayer;
using Moq;

namespace MiM.Bundles.Dicom.Network.Tests.Scp;

/// <summary>Exceptions nobody expected end one association (A-ABORT where possible) with one Error line; the SCP goes on.</summary>
public sealed class ScpInternalErrorTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly ProposedPresentationContext Ct = new(1, TestInstances.CtImageStorage, [DicomUids.ExplicitVrLittleEndian]);
    private readonly TempFolder _temp = new("scp-internal");
    private readonly RecordingLogger<DicomScp> _log = new();

    public void Dispose() => _temp.Dispose();

    private DicomScp Start(IInstanceStore store, TlsServerOptions? tls = null)
    {
        var scp = new DicomScp(new DicomScpOptions { AeTitle = "MIMTEST", Port = 0, BindAddress = IPAddress.Loopback, ArtimTimeout = TimeSpan.FromSeconds(5), Tls = tls }, store, _log);
        scp.Start();
        return scp;
    }

    private int Errors()
    {
        lock (_log.Entries)
        {
            return _log.Entries.Count(e => e.Level >= LogLevel.Error);
        }
    }

    [Fact]
    public async Task Unexpected_store_exception_is_answered_with_an_abort_logged_once_and_the_next_association_is_served()
    {
        var store = new Mock<IInstanceStore>();
        store.Setup(s => s.BeginAsync(It.IsAny<IncomingInstanceInfo>(), It.IsAny<CancellationToken>())).ThrowsAsync(new ArgumentOutOfRangeException("info", "a bug in the store"));
        await using var scp = Start(store.Object);
        using (var peer = await RawPeer.ConnectAsync(scp.LocalEndPoint.Port))
        {
            await peer.SendAsync(RawPeer.AssociateRequest("MIMTEST", Ct));
            Assert.Equal(PduType.AssociateAccept, (await peer.ReceiveAsync(Wait))?.Type);
            var command = new DimseCommand
            {
                CommandField = DimseCommandField.CStoreRequest,
                MessageId = 1,
                AffectedSopClassUid = TestInstances.CtImageStorage,
                AffectedSopInstanceUid = "1.2.3",
                HasDataSet = true,
            };
            await peer.SendAsync(RawPeer.PData(1, command: true, last: true, command.Encode()));

            var abort = await peer.ReceiveAsync(Wait);
            Assert.Equal(PduType.Abort, abort?.Type);
            Assert.True(await peer.IsClosedAsync(Wait));
        }

        await WaitUntilAsync(() => scp.ActiveAssociations == 0);
        Assert.Equal(1, Errors());
        using var next = await RawPeer.ConnectAsync(scp.LocalEndPoint.Port);
        await next.SendAsync(RawPeer.AssociateRequest("MIMTEST", Ct));
        Assert.Equal(PduType.AssociateAccept, (await next.ReceiveAsync(Wait))?.Type);
    }

    [Fact]
    public async Task Corrupt_tls_certificate_file_closes_the_connection_logs_once_and_the_scp_serves_once_it_is_replaced()
    {
        var good = SelfSignedCertificate.Make(_temp.Path, "server");
        var certificate = Path.Combine(_temp.Path, "live.crt");
        File.WriteAllText(certificate, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        var inbox = new DurableInbox(new InboxOptions { Root = _temp.Sub("inbox"), MinimumFreeBytes = 0 });
        await using var scp = Start(inbox, new TlsServerOptions { CertificateFile = certificate, PrivateKeyFile = good.KeyFile });

        using (var peer = await RawPeer.ConnectAsync(scp.LocalEndPoint.Port))
        {
            Assert.True(await peer.IsClosedAsync(Wait), "the connection was left open");
        }

        await WaitUntilAsync(() => Errors() >= 1);
        await Task.Delay(200);
        Assert.Equal(1, Errors());

        // The certificate is read per connection: replacing the file repairs the SCP without a restart.
        File.Copy(good.CertificateFile, certificate, overwrite: true);
        var scu = new DicomScu(new DicomScuOptions { Tls = new TlsClientOptions { TrustedCertificatesFile = good.CertificateFile } });
        Assert.Equal(DimseStatus.Success, await scu.EchoAsync(new DicomDestination("tls", "MIMTEST", "127.0.0.1", scp.LocalEndPoint.Port), default));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Wait, "condition not reached in time");
            await Task.Delay(20);
        }
    }
}
