using System.Globalization;
using System.Text.Json.Nodes;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Host.Tests.Catalog;
using MiM.Bundles.Imaging.Phantoms;
using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Host.Tests.Serving;

/// <summary>
/// `mim serve` with the DICOM TLS profile on both sides, against DCMTK: storescu +tls sends as the router (with a client
/// certificate the host trusts), storescp +tls receives as the PACS (and checks the host's client certificate).
/// </summary>
public sealed class ServeTlsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_series_sent_over_tls_comes_back_over_tls_and_a_sender_without_tls_is_turned_away()
    {
        var certificates = _temp.Sub("certificates");
        Directory.CreateDirectory(certificates);
        var host = SelfSignedCertificate.Make(certificates, "host");
        var router = SelfSignedCertificate.Make(certificates, "router");
        var pacsCertificate = SelfSignedCertificate.Make(certificates, "pacs");

        var bundles = _temp.Sub("bundles");
        var bundle = new TestBundle("threshold-segmentation");
        bundle.Selection["rules"] = JsonNode.Parse("""[ { "attribute": "Modality", "equals": "CT" } ]""");
        bundle.Write(Path.Combine(bundles, "bright"));
        var series = _temp.Sub("series");
        DcmtkPhantomSeries.Write(PhantomGenerator.Generate(seed: 9, size: 32).Image, series, "1.2.826.0.1.3680043.10.1466.86");

        var received = _temp.Sub("received");
        Directory.CreateDirectory(received);
        var pacsPort = FreePort.Next();
        using var pacs = PeerProcess.Start("storescp", "+tls", pacsCertificate.KeyFile, pacsCertificate.CertificateFile, "-pw", "-rc", "+cf", host.CertificateFile,
            "-aet", "PACS", "-od", received, "-uf", pacsPort.ToString(CultureInfo.InvariantCulture));
        var config = _temp.Sub("appsettings.json");
        File.WriteAllText(config, new JsonObject
        {
            ["Mim"] = new JsonObject
            {
                ["Serve"] = new JsonObject
                {
                    ["Tls"] = new JsonObject
                    {
                        ["CertificateFile"] = host.CertificateFile,
                        ["PrivateKeyFile"] = host.KeyFile,
                        ["RequireClientCertificate"] = true,
                        ["TrustedClientCertificatesFile"] = router.CertificateFile,
                    },
                    ["Destinations"] = new JsonArray(new JsonObject
                    {
                        ["AeTitle"] = "PACS",
                        ["Host"] = "127.0.0.1",
                        ["Port"] = pacsPort,
                        ["Tls"] = new JsonObject
                        {
                            ["TrustedCertificatesFile"] = pacsCertificate.CertificateFile,
                            ["ClientCertificateFile"] = host.CertificateFile,
                            ["ClientPrivateKeyFile"] = host.KeyFile,
                        },
                    }),
                },
            },
        }.ToJsonString());
        var data = _temp.Sub("data");
        using var server = MimServer.Start(data, bundles, "--config", config);

        var plain = PeerProcess.Run(Timeout, "storescu", ["-aet", "ROUTER", "-aec", "MIMSERVE", "127.0.0.1", server.PortText, Directory.GetFiles(series)[0]]);
        Assert.NotEqual(0, plain.ExitCode);

        var send = PeerProcess.Run(Timeout, "storescu",
            ["+tls", router.KeyFile, router.CertificateFile, "-pw", "+cf", host.CertificateFile, "-aet", "ROUTER", "-aec", "MIMSERVE", "127.0.0.1", server.PortText, .. Directory.GetFiles(series)]);
        Assert.True(send.ExitCode == 0, send.Output);

        server.WaitFor(() => ServeFolders.Segmentations(received).Count == 1 && ServeFolders.Jobs(data).Any(j => j["State"]!.GetValue<string>() == "Delivered"), Timeout, "SEG at the TLS PACS");
        var job = ServeFolders.Jobs(data).Single();
        Assert.Equal("Delivered", job["State"]!.GetValue<string>());
        Assert.Equal(["ROUTER"], job["CallingAeTitles"]!.AsArray().Select(a => a!.GetValue<string>()));
    }
}
