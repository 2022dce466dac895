using System.Globalization;
using System.Text.Json.Nodes;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Host.Tests.Catalog;
using MiM.Bundles.Host.Tests.Serving;
using MiM.Bundles.Imaging.Phantoms;
using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Installation;
using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Repository;
using MiM.Bundles.Packaging.Trust;
using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Host.Tests.Subscriptions;

/// <summary>
/// A subscription inside a running `mim serve`, the round trip of the distribution issue: a publisher signs and
/// publishes a new version into a repository served over HTTPS (self-signed, trusted by the site's TlsTrust) while the
/// host serves the old one and series stream in from DCMTK storescu; the host installs, warms and switches to it, and
/// every series gets exactly one delivered SEG, with no job failed.
/// </summary>
public sealed class SubscriptionServeEndToEndTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_version_published_while_series_stream_in_is_installed_and_takes_over_with_no_job_failed()
    {
        using var key = PublisherSigningKey.Generate("acme", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var (_, pub) = key.Save(_temp.Sub("keys"));
        var repo = _temp.Sub("repo");
        var bundles = _temp.Sub("bundles");
        Directory.CreateDirectory(repo);
        using (var trust = TrustStore.Load(pub))
        {
            new BundleInstaller(bundles, trust).Install(Pack(key, "1.0.0"));
        }

        var tls = SelfSignedCertificate.Make(_temp.Sub("keys"), "repository");
        await using var server = StaticRepositoryServer.Start(repo, new StaticRepositoryServerOptions { CertificateFile = tls.CertificateFile, PrivateKeyFile = tls.KeyFile });
        var received = _temp.Sub("received");
        Directory.CreateDirectory(received);
        var pacsPort = FreePort.Next();
        using var pacs = PeerProcess.Start("storescp", "-aet", "PACS", "-od", received, "-uf", pacsPort.ToString(CultureInfo.InvariantCulture));
        var config = _temp.Sub("appsettings.json");
        File.WriteAllText(config, new JsonObject
        {
            ["Mim"] = new JsonObject
            {
                ["Bundles"] = new JsonObject { ["Trust"] = pub, ["RequireSigned"] = true },
                ["Subscriptions"] = new JsonObject
                {
                    ["PollSeconds"] = 1,
                    ["Repositories"] = new JsonArray(new JsonObject
                    {
                        ["Source"] = server.Address.AbsoluteUri,
                        ["Trust"] = pub,
                        ["TlsTrust"] = tls.CertificateFile,
                        ["Bundles"] = new JsonArray(new JsonObject { ["Id"] = "bright-seg" }),
                    }),
                },
            },
        }.ToJsonString());
        var data = _temp.Sub("data");
        using var host = MimServer.Start(data, bundles, "--config", config, "--destination", $"PACS@127.0.0.1:{pacsPort}");
        host.WaitFor(() => host.Output.Contains("Serving: bright-seg 1.0.0", StringComparison.Ordinal), Timeout, "the serving line");

        Send(host, Series(1));
        host.WaitFor(() => Delivered(data).Count == 1, Timeout, "the first series on 1.0.0");
        using (var trust = TrustStore.Load(pub))
        {
            new RepositoryPublisher(repo, key, trust).Publish(Pack(key, "1.1.0"), ReleaseChannel.Stable);
        }

        // Series keep coming while the host polls, downloads, verifies, installs and warms 1.1.0.
        var sent = 1;
        while (!Delivered(data).Any(j => j["RanVersion"]!.GetValue<string>() == "1.1.0"))
        {
            Assert.True(sent < 40, "1.1.0 never served: " + host.Output);
            Send(host, Series(++sent));
            host.WaitFor(() => Delivered(data).Count == sent || Failed(data).Count > 0, Timeout, $"series {sent} delivered");
        }

        Assert.Empty(Failed(data));
        Assert.Equal("1.0.0", Delivered(data).OrderBy(j => j["Created"]!.GetValue<DateTimeOffset>()).First()["RanVersion"]!.GetValue<string>());
        host.WaitFor(() => ServeFolders.Segmentations(received).Count == sent, Timeout, "one SEG per series at the PACS");
        var audit = File.ReadAllText(Path.Combine(data, "audit.jsonl"));
        Assert.Contains("\"bundle-installed\"", audit, StringComparison.Ordinal);
    }

    private static List<JsonNode> Delivered(string data) => [.. ServeFolders.Jobs(data).Where(j => j["State"]!.GetValue<string>() == "Delivered")];

    private static List<JsonNode> Failed(string data) => [.. ServeFolders.Jobs(data).Where(j => j["State"]!.GetValue<string>() == "Failed")];

    private static void Send(MimServer host, string series)
    {
        var send = PeerProcess.Run(Timeout, "storescu", ["-aet", "ROUTER", "-aec", "MIMSERVE", "127.0.0.1", host.PortText, .. Directory.GetFiles(series)]);
        Assert.True(send.ExitCode == 0, send.Output);
    }

    private string Series(int n)
    {
        var folder = _temp.Sub($"series-{n}");
        DcmtkPhantomSeries.Write(PhantomGenerator.Generate(seed: 9, size: 32).Image, folder, $"1.2.826.0.1.3680043.10.1466.{200 + n}");
        return folder;
    }

    private string Pack(PublisherSigningKey key, string version)
    {
        var bundle = new TestBundle(version: version);
        bundle.Selection["rules"] = JsonNode.Parse("""[ { "attribute": "Modality", "equals": "CT" } ]""");
        var archive = _temp.Sub($"bright-seg-{version}.mimb");
        BundlePacker.Pack(bundle.Write(_temp.Sub($"src-{version}")), archive, key, DateTimeOffset.UtcNow);
        return archive;
    }
}
