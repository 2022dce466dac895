using System.Globalization;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scu;
using MiM.Bundles.Dicom.Network.Security;
using MiM.Bundles.Dicom.Network.Tests.Peers;

namespace MiM.Bundles.Dicom.Network.Tests.Scu;

/// <summary>Our SCU against DCMTK's storescp: what storescp writes is what we sent, in the clear and over TLS.</summary>
public sealed class ScuToDcmtkTests
{
    private static (PeerProcess Scp, int Port) StartStorescp(string folder, params string[] extra)
    {
        var port = FreePort.Next();
        var scp = PeerProcess.Start("storescp", ["-v", "-aet", "STORESCP", "-od", folder, .. extra, port.ToString(CultureInfo.InvariantCulture)]);
        WaitForPort(port);
        return (scp, port);
    }

    [Fact]
    public async Task Echo_to_storescp_succeeds()
    {
        using var temp = new TempFolder("scu-echo");
        var (storescp, port) = StartStorescp(temp.Path);
        using (storescp)
        {
            var status = await new DicomScu().EchoAsync(new DicomDestination("dcmtk", "STORESCP", "127.0.0.1", port), default);

            Assert.Equal(0, status);
        }
    }

    [Fact]
    public async Task Files_sent_to_storescp_arrive_equal()
    {
        using var temp = new TempFolder("scu-store");
        var files = TestInstances.MakeCt(temp.Sub("ct"), 5);
        files.Add(Path.Combine(TestInstances.PydicomTestFiles, "liver_1frame.dcm"));
        files.Add(Path.Combine(TestInstances.PydicomTestFiles, "test-SR.dcm"));
        var received = temp.Sub("received");
        var (storescp, port) = StartStorescp(received, "+xa");
        using (storescp)
        {
            var outcomes = await new DicomScu().SendAsync(new DicomDestination("dcmtk", "STORESCP", "127.0.0.1", port, "MIMSCU"), files, default);

            Assert.All(outcomes, o => Assert.True(o.Delivered, $"{o.FilePath}: {o.Status:X4} {o.Error}"));
            WaitForFiles(received, files.Count);
            var byUid = Directory.GetFiles(received).ToDictionary(TestInstances.SopInstanceUidOf);
            foreach (var file in files)
            {
                PydicomComparison.AssertSameDataSet(file, byUid[TestInstances.SopInstanceUidOf(file)]);
            }
        }
    }

    [Fact]
    public async Task File_in_a_transfer_syntax_the_peer_refuses_is_reported_and_the_others_are_sent()
    {
        using var temp = new TempFolder("scu-refused");
        var ct = TestInstances.MakeCt(temp.Sub("ct"), 2);
        var rle = Path.Combine(TestInstances.PydicomTestFiles, "MR_small_RLE.dcm");
        var (storescp, port) = StartStorescp(temp.Sub("received"));
        using (storescp)
        {
            // storescp without +xa accepts only uncompressed transfer syntaxes.
            var outcomes = await new DicomScu().SendAsync(new DicomDestination("dcmtk", "STORESCP", "127.0.0.1", port), [ct[0], rle, ct[1]], default);

            Assert.True(outcomes[0].Delivered);
            Assert.False(outcomes[1].Delivered);
            Assert.Null(outcomes[1].Status);
            Assert.Contains("1.2.840.10008.1.2.5", outcomes[1].Error, StringComparison.Ordinal);
            Assert.True(outcomes[2].Delivered);
        }
    }

    [Fact]
    public async Task Deflated_file_refused_by_the_peer_is_converted_to_explicit_little_endian_without_changing_values()
    {
        using var temp = new TempFolder("scu-convert");
        var deflated = Path.Combine(TestInstances.PydicomTestFiles, "image_dfl.dcm");
        var received = temp.Sub("received");

        // storescp without +xa does not accept deflate, but accepts explicit VR little endian.
        var (storescp, port) = StartStorescp(received);
        using (storescp)
        {
            var outcome = Assert.Single(await new DicomScu().SendAsync(new DicomDestination("dcmtk", "STORESCP", "127.0.0.1", port), [deflated], default));

            Assert.True(outcome.Delivered, outcome.Error);
            WaitForFiles(received, 1);
            var stored = Assert.Single(Directory.GetFiles(received));
            Assert.Equal("1.2.840.10008.1.2.1", Part10Source.Read(stored).TransferSyntaxUid);
            PydicomComparison.AssertSameDataSet(deflated, stored);
        }

        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), "mim-scu-*.dcm"));
    }

    [Fact]
    public async Task Files_sent_over_tls_arrive_at_a_storescp_that_verifies_our_client_certificate()
    {
        using var temp = new TempFolder("scu-tls");
        var server = SelfSignedCertificate.Make(temp.Path, "server");
        var client = SelfSignedCertificate.Make(temp.Path, "client");
        var files = TestInstances.MakeCt(temp.Sub("ct"), 3);
        var received = temp.Sub("received");
        var (storescp, port) = StartStorescp(received, "+tls", server.KeyFile, server.CertificateFile, "-pw", "-rc", "+cf", client.CertificateFile);
        using (storescp)
        {
            var outcomes = await TlsScu(server, client).SendAsync(new DicomDestination("dcmtk-tls", "STORESCP", "127.0.0.1", port, "MIMSCU"), files, default);

            Assert.All(outcomes, o => Assert.True(o.Delivered, $"{o.FilePath}: {o.Error}\n{storescp.Output}"));
            WaitForFiles(received, files.Count);
            Assert.Equal(files.Select(TestInstances.SopInstanceUidOf).Order(StringComparer.Ordinal), Directory.GetFiles(received).Select(TestInstances.SopInstanceUidOf).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task A_storescp_that_does_not_trust_our_client_certificate_refuses_the_association_and_stores_nothing()
    {
        using var temp = new TempFolder("scu-tls-refused");
        var server = SelfSignedCertificate.Make(temp.Path, "server");
        var client = SelfSignedCertificate.Make(temp.Path, "client");
        var someoneElse = SelfSignedCertificate.Make(temp.Path, "someone-else");
        var files = TestInstances.MakeCt(temp.Sub("ct"), 1);
        var received = temp.Sub("received");
        var (storescp, port) = StartStorescp(received, "+tls", server.KeyFile, server.CertificateFile, "-pw", "-rc", "+cf", someoneElse.CertificateFile);
        using (storescp)
        {
            await Assert.ThrowsAsync<DicomNetworkException>(() => TlsScu(server, client).EchoAsync(new DicomDestination("dcmtk-tls", "STORESCP", "127.0.0.1", port, "MIMSCU"), default));
            Assert.Empty(Directory.GetFiles(received));
        }
    }

    [Fact]
    public async Task Connection_refused_is_a_network_exception()
    {
        var port = FreePort.Next();

        await Assert.ThrowsAsync<DicomNetworkException>(() => new DicomScu().EchoAsync(new DicomDestination("none", "NOBODY", "127.0.0.1", port), default));
    }

    /// <summary>Our SCU over TLS: trusts <paramref name="server"/>, shows <paramref name="client"/>.</summary>
    private static DicomScu TlsScu(SelfSignedCertificate server, SelfSignedCertificate client) => new(new DicomScuOptions
    {
        Tls = new TlsClientOptions { TrustedCertificatesFile = server.CertificateFile, ClientCertificateFile = client.CertificateFile, ClientPrivateKeyFile = client.KeyFile },
    });

    private static void WaitForPort(int port)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                client.Connect("127.0.0.1", port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(50);
            }
        }
    }

    private static void WaitForFiles(string folder, int count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Directory.GetFiles(folder).Length < count)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"storescp wrote {Directory.GetFiles(folder).Length} of {count} files");
            Thread.Sleep(50);
        }
    }
}
