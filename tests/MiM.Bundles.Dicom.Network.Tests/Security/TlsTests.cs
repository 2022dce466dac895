using System.Globalization;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scu;
using MiM.Bundles.Dicom.Network.Security;
using MiM.Bundles.Dicom.Network.Tests.Peers;

namespace MiM.Bundles.Dicom.Network.Tests.Security;

/// <summary>The DICOM TLS profile: DCMTK's storescu +tls into our SCP with mutual authentication, and our SCU over TLS.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly TempFolder _temp = new("tls");
    private readonly SelfSignedCertificate _server;
    private readonly SelfSignedCertificate _client;

    public TlsTests()
    {
        _server = SelfSignedCertificate.Make(_temp.Path, "server");
        _client = SelfSignedCertificate.Make(_temp.Path, "client");
    }

    public void Dispose() => _temp.Dispose();

    private TlsServerOptions ServerTls => new()
    {
        CertificateFile = _server.CertificateFile,
        PrivateKeyFile = _server.KeyFile,
        RequireClientCertificate = true,
        TrustedClientCertificatesFile = _client.CertificateFile,
    };

    [Fact]
    public async Task Storescu_over_tls_with_a_trusted_client_certificate_stores_into_our_scp()
    {
        var files = TestInstances.MakeCt(_temp.Sub("ct"), 3);
        await using var scp = ScpFixture.Start(o => o with { Tls = ServerTls });
        var store = PeerProcess.Run(
            TimeSpan.FromSeconds(60),
            "storescu",
            ["-v", "+tls", _client.KeyFile, _client.CertificateFile, "-pw", "+cf", _server.CertificateFile,
             "-aet", "DCMTK", "-aec", "MIMTEST", "127.0.0.1", scp.Port.ToString(CultureInfo.InvariantCulture), .. files]);

        Assert.True(store.ExitCode == 0, store.Output);
        Assert.Equal(files.Select(TestInstances.SopInstanceUidOf).Order(StringComparer.Ordinal), scp.StoredSopInstanceUids());
    }

    [Fact]
    public async Task Storescu_with_an_untrusted_client_certificate_is_refused()
    {
        var stranger = SelfSignedCertificate.Make(_temp.Path, "stranger");
        var files = TestInstances.MakeCt(_temp.Sub("ct"), 1);
        await using var scp = ScpFixture.Start(o => o with { Tls = ServerTls });
        var store = PeerProcess.Run(
            TimeSpan.FromSeconds(60),
            "storescu",
            ["+tls", stranger.KeyFile, stranger.CertificateFile, "-pw", "+cf", _server.CertificateFile,
             "-aet", "DCMTK", "-aec", "MIMTEST", "127.0.0.1", scp.Port.ToString(CultureInfo.InvariantCulture), .. files]);

        Assert.NotEqual(0, store.ExitCode);
        Assert.Empty(scp.StoredFiles());
    }

    [Fact]
    public async Task Our_scu_over_tls_stores_into_our_tls_scp_and_refuses_an_untrusted_server()
    {
        var files = TestInstances.MakeCt(_temp.Sub("ct"), 2);
        await using var scp = ScpFixture.Start(o => o with { Tls = ServerTls });
        var destination = new DicomDestination("tls", "MIMTEST", "127.0.0.1", scp.Port);
        var trusting = new DicomScu(new DicomScuOptions
        {
            Tls = new TlsClientOptions { TrustedCertificatesFile = _server.CertificateFile, ClientCertificateFile = _client.CertificateFile, ClientPrivateKeyFile = _client.KeyFile },
        });
        var distrusting = new DicomScu(new DicomScuOptions
        {
            Tls = new TlsClientOptions { TrustedCertificatesFile = _client.CertificateFile, ClientCertificateFile = _client.CertificateFile, ClientPrivateKeyFile = _client.KeyFile },
        });

        var outcomes = await trusting.SendAsync(destination, files, default);
        await Assert.ThrowsAsync<DicomNetworkException>(() => distrusting.EchoAsync(destination, default));

        Assert.All(outcomes, o => Assert.True(o.Delivered, o.Error));
        Assert.Equal(2, scp.StoredFiles().Length);
    }
}
