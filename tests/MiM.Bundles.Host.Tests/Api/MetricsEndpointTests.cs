using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MiM.Bundles.Dicom.Network.Assembly;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scp;
using MiM.Bundles.Dicom.Network.Scu;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Running;

namespace MiM.Bundles.Host.Tests.Api;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_count_instances_that_dcmtk_sent_through_the_real_scp_and_inbox()
    {
        using var temp = new TempFolder("api-metrics");
        var files = TestInstances.MakeCt(temp.Sub("ct"), 3, size: 16);
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        using var inbox = new DurableInbox(new InboxOptions { Root = temp.Sub("inbox"), MinimumFreeBytes = 0 });
        var assembler = new SeriesAssembler(new SeriesAssemblerOptions { StateFolder = temp.Sub("assembly"), QuietPeriod = TimeSpan.FromMilliseconds(200) }, new Taker(), TimeProvider.System);
        await using var assembling = assembler;
        assembler.Start(inbox);
        var scp = new DicomScp(new DicomScpOptions { AeTitle = "MIMTEST", Port = 0, BindAddress = IPAddress.Loopback }, inbox);
        await using (scp)
        {
            scp.Start();
            var port = scp.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);
            var sent = PeerProcess.Run(TimeSpan.FromSeconds(60), "storescu", ["-aet", "DCMTK", "-aec", "MIMTEST", "127.0.0.1", port, .. files]);
            Assert.True(sent.ExitCode == 0, sent.Output);
        }

        for (var waited = 0; assembler.HandedOnCount == 0 && waited < 300; waited++)
        {
            await Task.Delay(100);
        }

        var text = await ScrapeAsync(api);

        // Counters are process-wide (other tests may store instances too): at least what this test sent.
        Assert.True(Value(text, "mim_dicom_inbox_stored_total") >= 3, text);
        Assert.True(Value(text, "mim_dicom_scp_associations_total") >= 1, text);
        Assert.True(Value(text, "mim_dicom_assembler_handed_on_total") >= 1, text);
    }

    [Fact]
    public async Task Metrics_show_the_memory_of_devices_of_known_size_and_not_of_the_cpu()
    {
        var devices = new DeviceScheduler([ComputeDevice.Cpu, new ComputeDevice("cuda:0", 8L << 30)]);
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback(), devices: devices);

        var text = await ScrapeAsync(api);

        Assert.Equal(8L << 30, Value(text, "mim_device_memory_capacity_bytes", "device=\"cuda:0\""));
        Assert.Equal(8L << 30, Value(text, "mim_device_memory_free_bytes", "device=\"cuda:0\""));
        Assert.DoesNotContain("device=\"cpu\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_show_outbox_queue_depth_retries_and_dead_letters_per_destination()
    {
        using var temp = new TempFolder("api-outbox-metrics");
        var files = TestInstances.MakeCt(temp.Sub("ct"), 1, size: 16);
        var name = "down-" + Guid.NewGuid().ToString("N")[..8];
        var label = $"destination=\"{name}\"";
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        var outbox = new DicomOutbox(
            new OutboxOptions { Root = temp.Sub("outbox"), MaxAttempts = 1 },
            [new DicomDestination(name, "DEST", "127.0.0.1", FreePort.Next())],
            new DicomScu(new DicomScuOptions { ConnectTimeout = TimeSpan.FromSeconds(5) }),
            TimeProvider.System);

        await outbox.EnqueueAsync(name, files, CancellationToken.None);
        var queued = await ScrapeAsync(api);
        await outbox.ProcessDueAsync(name, CancellationToken.None);
        var deadLettered = await ScrapeAsync(api);

        Assert.Equal(1, Value(queued, "mim_dicom_outbox_queued", label));
        Assert.Equal(0, Value(deadLettered, "mim_dicom_outbox_queued", label));
        Assert.Equal(1, Value(deadLettered, "mim_dicom_outbox_failed_attempts_total", label));
        Assert.Equal(1, Value(deadLettered, "mim_dicom_outbox_dead_lettered_total", label));
    }

    [Fact]
    public async Task Metrics_show_bundle_versions_by_state()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Bundles.Views.Add(StaticBundleListing.Serving("phantom-liver", "1.2.0"));
        api.Bundles.Views.Add(StaticBundleListing.Serving("phantom-liver", "1.3.0") with { State = BundleState.Failed });
        api.Bundles.Views.Add(StaticBundleListing.Serving("phantom-lesion", "1.0.0"));

        var text = await ScrapeAsync(api);

        Assert.Equal(2, Value(text, "mim_catalog_bundles", "state=\"serving\""));
        Assert.Equal(1, Value(text, "mim_catalog_bundles", "state=\"failed\""));
        Assert.Equal(0, Value(text, "mim_catalog_bundles", "state=\"draining\""));
    }

    private sealed class Taker : ICompletedSeriesHandler
    {
        public Task HandleAsync(CompletedSeries group, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static async Task<string> ScrapeAsync(ApiFixture api)
    {
        using var response = await api.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of the sample of <paramref name="name"/> whose labels contain <paramref name="label"/>; fails when absent.</summary>
    private static double Value(string exposition, string name, string? label = null)
    {
        foreach (var line in exposition.Split('\n'))
        {
            var match = Regex.Match(line, $@"^{Regex.Escape(name)}(\{{(?<labels>[^}}]*)\}})? (?<value>\S+)");
            if (match.Success && (label is null || match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        Assert.Fail($"no sample of {name} {label} in:\n{exposition}");
        return double.NaN;
    }
}
