using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Host.Tests.Catalog;
using MiM.Bundles.Host.Tests.Cli;
using MiM.Bundles.Imaging.Phantoms;
using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Host.Tests.Serving;

/// <summary>
/// Shadow mode in `mim serve` between real DICOM peers (DCMTK storescu as the router, storescp as the PACS): a candidate
/// put in shadow with `mim bundle shadow` runs every series beside the serving version, sends nothing, and each of its
/// jobs records its agreement; a promotion through the REST API switches what serves with no job failed.
/// </summary>
public sealed class ShadowServeEndToEndTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Data => _temp.Sub("data");

    [Fact]
    public async Task An_identical_candidate_in_shadow_agrees_1_and_the_PACS_receives_only_the_serving_versions_SEG()
    {
        var bundles = WriteBundles(candidateThreshold: 100);
        var axial = WriteSeries("axial", "1.2.826.0.1.3680043.10.1466.91");
        var (received, pacsPort) = (_temp.Sub("received"), FreePort.Next());
        Directory.CreateDirectory(received);
        using var pacs = PeerProcess.Start("storescp", "-aet", "PACS", "-od", received, "-uf", pacsPort.ToString(CultureInfo.InvariantCulture));
        using var server = StartWithShadow(bundles, pacsPort);

        Send(server, axial);
        server.WaitFor(() => ServeFolders.Jobs(Data).Count(j => j["State"]!.GetValue<string>() is "Delivered" or "Kept") == 2, Timeout, "serving job delivered and shadow job kept");

        var serving = ServeFolders.Jobs(Data).Single(j => !j["Shadow"]!.GetValue<bool>());
        var shadow = ServeFolders.Jobs(Data).Single(j => j["Shadow"]!.GetValue<bool>());
        Assert.Equal("1.0.0", serving["RanVersion"]!.GetValue<string>());
        Assert.Equal("1.1.0", shadow["RanVersion"]!.GetValue<string>());
        Assert.Equal(serving["Id"]!.GetValue<string>(), shadow["ShadowOf"]!.GetValue<string>());
        Assert.Equal(1.0, shadow["Agreement"]!["Agreement"]!.GetValue<double>());
        Assert.Equal(1.0, shadow["Agreement"]!["DicePerLabel"]!["1"]!.GetValue<double>());
        Assert.Empty(shadow["Deliveries"]!.AsObject());
        Assert.Equal(["load", "inference", "write", "compare"], shadow["Stages"]!.AsArray().Select(s => s!["Name"]!.GetValue<string>()));

        // The shadow's SEG stays under the data folder; the PACS got exactly the serving version's SEG.
        var kept = shadow["ResultFiles"]![0]!.GetValue<string>();
        Assert.StartsWith(Path.GetFullPath(Data), kept, StringComparison.Ordinal);
        Assert.True(File.Exists(kept));
        server.WaitFor(() => ServeFolders.Segmentations(received).Count >= 1, Timeout, "SEG at the PACS");
        Thread.Sleep(TimeSpan.FromSeconds(2)); // a second SEG, were one sent, would come within the same association burst
        var seg = Assert.Single(ServeFolders.Segmentations(received));
        Assert.Equal(serving["ResultSopInstanceUids"]![0]!.GetValue<string>(), DicomFile.Open(seg).Dataset.GetUid(SopInstanceUid));
        Assert.Equal(ServeFolders.ExpectedResultUid(serving), DicomFile.Open(seg).Dataset.GetUid(SopInstanceUid));
        Assert.DoesNotContain(File.ReadLines(Path.Combine(Data, "audit.jsonl")), l => l.Contains("\"delivered\"", StringComparison.Ordinal) && l.Contains("\"1.1.0\"", StringComparison.Ordinal));

        // The operator's view: the agreement on the job, the histogram and counter at /metrics.
        server.WaitFor(() => server.ApiAddress is not null, Timeout, "REST API start line");
        using var http = new HttpClient { BaseAddress = server.ApiAddress };
        var view = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/jobs/{shadow["Id"]!.GetValue<string>()}", UriKind.Relative)))!;
        Assert.True(view["shadow"]!.GetValue<bool>());
        Assert.Equal("Kept", view["state"]!.GetValue<string>());
        Assert.Equal(1.0, view["agreement"]!["agreement"]!.GetValue<double>());
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("mim_shadow_agreement", metrics, StringComparison.Ordinal);
        Assert.Contains("mim_shadow_jobs", metrics, StringComparison.Ordinal);
        Assert.Equal(0, server.Terminate(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task A_different_candidate_agrees_less_and_after_its_promotion_the_next_series_is_served_by_it_with_no_job_failed()
    {
        var bundles = WriteBundles(candidateThreshold: 0);
        var first = WriteSeries("first", "1.2.826.0.1.3680043.10.1466.92");
        var second = WriteSeries("second", "1.2.826.0.1.3680043.10.1466.93");
        var (received, pacsPort) = (_temp.Sub("received"), FreePort.Next());
        Directory.CreateDirectory(received);
        using var pacs = PeerProcess.Start("storescp", "-aet", "PACS", "-od", received, "-uf", pacsPort.ToString(CultureInfo.InvariantCulture));
        using var server = StartWithShadow(bundles, pacsPort);

        Send(server, first);
        server.WaitFor(() => ServeFolders.Jobs(Data).Count(j => j["State"]!.GetValue<string>() is "Delivered" or "Kept") == 2, Timeout, "first series: serving delivered, shadow kept");
        var shadow = ServeFolders.Jobs(Data).Single(j => j["Shadow"]!.GetValue<bool>());
        var agreement = shadow["Agreement"]!["Agreement"]!.GetValue<double>();
        Assert.InRange(agreement, 0.0, 0.99);
        Assert.True(shadow["Agreement"]!["DicePerLabel"]!["1"]!.GetValue<double>() < 1);

        server.WaitFor(() => server.ApiAddress is not null, Timeout, "REST API start line");
        using var http = new HttpClient { BaseAddress = server.ApiAddress };
        using var promoted = await http.PostAsJsonAsync(new Uri("/api/bundles/bright-seg/promote", UriKind.Relative), new { version = "1.1.0" });
        Assert.True(promoted.IsSuccessStatusCode, await promoted.Content.ReadAsStringAsync());
        Assert.Equal("1.1.0", JsonNode.Parse(await promoted.Content.ReadAsStringAsync())!["serving"]!.GetValue<string>());

        Send(server, second);
        server.WaitFor(() => ServeFolders.Segmentations(received).Count == 2 && ServeFolders.Jobs(Data).Count(j => j["State"]!.GetValue<string>() == "Delivered") == 2, Timeout, "second series served by the promoted version");
        var secondJobs = ServeFolders.Jobs(Data).Where(j => j["SeriesInstanceUid"]!.GetValue<string>() == "1.2.826.0.1.3680043.10.1466.93.2").ToList();
        var served = Assert.Single(secondJobs); // no shadow any more: one job
        Assert.Equal("1.1.0", served["RanVersion"]!.GetValue<string>());
        Assert.Contains(ServeFolders.Segmentations(received), f => DicomFile.Open(f).Dataset.GetUid(SopInstanceUid) == ServeFolders.ExpectedResultUid(served));
        Assert.DoesNotContain(ServeFolders.Jobs(Data), j => j["State"]!.GetValue<string>() == "Failed");
        var audit = File.ReadAllText(Path.Combine(Data, "audit.jsonl"));
        Assert.Contains("\"bundle-promote\"", audit, StringComparison.Ordinal);
        Assert.Equal(0, server.Terminate(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void The_policy_promotes_a_candidate_after_two_agreeing_jobs_and_it_serves_the_next_series_with_no_job_failed()
    {
        var bundles = WriteBundles(candidateThreshold: 100);
        var (received, pacsPort) = (_temp.Sub("received"), FreePort.Next());
        Directory.CreateDirectory(received);
        using var pacs = PeerProcess.Start("storescp", "-aet", "PACS", "-od", received, "-uf", pacsPort.ToString(CultureInfo.InvariantCulture));
        var policy = new Dictionary<string, string> { ["MIM_Mim__Shadow__PromoteAfterJobs"] = "2", ["MIM_Mim__Shadow__MinAgreement"] = "0.99" };
        using var server = StartWithShadow(bundles, pacsPort, policy);

        for (var n = 1; n <= 2; n++)
        {
            Send(server, WriteSeries($"series-{n}", $"1.2.826.0.1.3680043.10.1466.9{4 + n}"));
            server.WaitFor(() => ServeFolders.Jobs(Data).Count(j => j["State"]!.GetValue<string>() is "Delivered" or "Kept") == 2 * n, Timeout, $"series {n}: serving delivered, shadow kept");
        }

        var audit = Path.Combine(Data, "audit.jsonl");
        server.WaitFor(() => File.ReadAllText(audit).Contains("\"bundle-auto-promote\"", StringComparison.Ordinal), Timeout, "the automatic promotion in the audit log");
        Assert.All(ServeFolders.Jobs(Data).Where(j => j["Shadow"]!.GetValue<bool>()), j => Assert.Equal(1.0, j["Agreement"]!["Agreement"]!.GetValue<double>()));

        Send(server, WriteSeries("series-3", "1.2.826.0.1.3680043.10.1466.97"));
        server.WaitFor(() => ServeFolders.Segmentations(received).Count == 3, Timeout, "the third series' SEG at the PACS");
        var third = Assert.Single(ServeFolders.Jobs(Data), j => j["SeriesInstanceUid"]!.GetValue<string>() == "1.2.826.0.1.3680043.10.1466.97.2");
        Assert.Equal("1.1.0", third["RanVersion"]!.GetValue<string>());
        Assert.Contains(ServeFolders.Segmentations(received), f => DicomFile.Open(f).Dataset.GetUid(SopInstanceUid) == ServeFolders.ExpectedResultUid(third));
        Assert.DoesNotContain(ServeFolders.Jobs(Data), j => j["State"]!.GetValue<string>() == "Failed");
        Assert.Equal(0, server.Terminate(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void A_shadow_job_cut_off_by_a_stop_runs_again_after_the_restart_and_compares_with_the_serving_result_kept_on_disk()
    {
        // The candidate holds its job in inference while the gate file exists (created once both versions are warm).
        var gate = Path.Combine(_temp.Path, "candidate-gate");
        var bundles = WriteBundles(candidateThreshold: 100, candidateGate: gate);
        var axial = WriteSeries("axial", "1.2.826.0.1.3680043.10.1466.94");
        var (received, pacsPort) = (_temp.Sub("received"), FreePort.Next());
        Directory.CreateDirectory(received);
        using var pacs = PeerProcess.Start("storescp", "-aet", "PACS", "-od", received, "-uf", pacsPort.ToString(CultureInfo.InvariantCulture));
        var shortGrace = new Dictionary<string, string> { ["MIM_Mim__Serve__StopGraceSeconds"] = "1" };
        using (var first = StartWithShadow(bundles, pacsPort, shortGrace))
        {
            File.WriteAllText(gate, "hold");
            Send(first, axial);

            // The serving answer does not wait for the candidate: delivered while the shadow job is still in inference.
            first.WaitFor(() => ServeFolders.Jobs(Data).Any(j => !j["Shadow"]!.GetValue<bool>() && j["State"]!.GetValue<string>() == "Delivered"), Timeout, "the serving job delivered");
            var held = ServeFolders.Jobs(Data).Single(j => j["Shadow"]!.GetValue<bool>());
            Assert.Equal("Running", held["State"]!.GetValue<string>());
            var servingId = held["ShadowOf"]!.GetValue<string>();
            Assert.True(File.Exists(Path.Combine(Data, "results", servingId, "shadow-reference.bin")));
            Assert.Equal(0, first.Terminate(TimeSpan.FromSeconds(60)));
        }

        Assert.Equal("Running", ServeFolders.Jobs(Data).Single(j => j["Shadow"]!.GetValue<bool>())["State"]!.GetValue<string>());
        File.Delete(gate);
        using var second = StartWithShadow(bundles, pacsPort, shortGrace);
        second.WaitFor(() => ServeFolders.Jobs(Data).Any(j => j["Shadow"]!.GetValue<bool>() && j["State"]!.GetValue<string>() == "Kept"), Timeout, "the shadow job kept after the restart");

        var serving = ServeFolders.Jobs(Data).Single(j => !j["Shadow"]!.GetValue<bool>());
        var shadow = ServeFolders.Jobs(Data).Single(j => j["Shadow"]!.GetValue<bool>());
        Assert.Equal(1.0, shadow["Agreement"]!["Agreement"]!.GetValue<double>());
        Assert.Equal("1.0.0", shadow["Agreement"]!["ServingVersion"]!.GetValue<string>());
        Assert.Null(shadow["Agreement"]!["Note"]);

        // The job is recorded as kept first and its reference deleted just after (a crash in between leaves a file
        // for retention, never a job that runs again without its reference): seen from outside, the deletion may lag.
        var reference = Path.Combine(Data, "results", serving["Id"]!.GetValue<string>(), "shadow-reference.bin");
        second.WaitFor(() => !File.Exists(reference), TimeSpan.FromSeconds(30), "the reference deleted once its shadow job was kept");
        Thread.Sleep(TimeSpan.FromSeconds(2)); // a second SEG, were one sent, would come within the same association burst
        Assert.Single(ServeFolders.Segmentations(received));
        Assert.Equal(0, second.Terminate(TimeSpan.FromSeconds(60)));
    }

    /// <summary>
    /// bright-seg 1.0.0 (threshold 100) serves; 1.1.0 with <paramref name="candidateThreshold"/> is the candidate, held
    /// in inference while <paramref name="candidateGate"/> exists.
    /// </summary>
    private string WriteBundles(double candidateThreshold, string? candidateGate = null)
    {
        var bundles = _temp.Sub("bundles");
        foreach (var (version, threshold) in new[] { ("1.0.0", 100.0), ("1.1.0", candidateThreshold) })
        {
            var bundle = new TestBundle(version: version);
            bundle.Inference["network_def"]!["threshold"] = threshold;
            if (version == "1.1.0" && candidateGate is not null)
            {
                bundle.Inference["network_def"]!["gate"] = candidateGate;
            }

            bundle.Selection["rules"] = JsonNode.Parse("""[ { "attribute": "Modality", "equals": "CT" }, { "attribute": "NumberOfSlices", "min": 8 } ]""");
            bundle.Write(Path.Combine(bundles, "bright-seg", version));
        }

        return bundles;
    }

    private MimServer StartWithShadow(string bundles, int pacsPort, IReadOnlyDictionary<string, string>? environment = null)
    {
        var shadow = MimProcess.Run(Timeout, "bundle", "shadow", "bright-seg", "1.1.0", "--bundles", bundles);
        Assert.True(shadow.ExitCode == 0, shadow.StdOut + shadow.StdErr);
        Assert.Contains("bright-seg 1.1.0 runs in shadow beside 1.0.0", shadow.StdOut, StringComparison.Ordinal);
        var server = MimServer.Start(environment ?? new Dictionary<string, string>(), Data, bundles, "--destination", $"PACS@127.0.0.1:{pacsPort}");
        server.WaitFor(() => server.Output.Contains("Serving: bright-seg 1.0.0", StringComparison.Ordinal), Timeout, "the serving line");
        server.WaitFor(() => server.Output.Contains("Shadow (results kept on the host): bright-seg 1.1.0", StringComparison.Ordinal), Timeout, "the shadow line");
        return server;
    }

    private static void Send(MimServer server, string series)
    {
        var send = PeerProcess.Run(Timeout, "storescu", ["-aet", "ROUTER", "-aec", "MIMSERVE", "127.0.0.1", server.PortText, .. Directory.GetFiles(series)]);
        Assert.True(send.ExitCode == 0, send.Output);
    }

    private string WriteSeries(string name, string uidRoot)
    {
        var folder = _temp.Sub(name);
        DcmtkPhantomSeries.Write(PhantomGenerator.Generate(seed: 9, size: 32).Image, folder, uidRoot);
        return folder;
    }
}
