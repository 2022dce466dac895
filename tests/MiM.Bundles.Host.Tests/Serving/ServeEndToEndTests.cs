using System.Globalization;
using System.Text.Json.Nodes;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Host.Tests.Catalog;
using MiM.Bundles.Imaging.Phantoms;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Host.Tests.Cli;
using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Host.Tests.Serving;

/// <summary>
/// `mim serve` between real DICOM peers, set up as a hospital would: DCMTK storescu plays the router sending CT, DCMTK
/// storescp the PACS receiving the results. The bundle is the test plugin's threshold segmentation.
/// </summary>
public sealed class ServeEndToEndTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);
    private static readonly DicomTag StudyInstanceUid = new(0x0020, 0x000D);
    private static readonly DicomTag ReferencedSeriesSequence = new(0x0008, 0x1115);
    private static readonly DicomTag SeriesInstanceUid = new(0x0020, 0x000E);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_CT_series_from_the_router_comes_back_as_a_SEG_at_the_PACS_and_a_sagittal_series_is_reported_with_the_reason()
    {
        var bundles = WriteBundle("threshold-segmentation");
        var axial = WriteSeries("axial", "1.2.826.0.1.3680043.10.1466.81", sagittal: false);
        var sagittal = WriteSeries("sagittal", "1.2.826.0.1.3680043.10.1466.82", sagittal: true);
        var received = _temp.Sub("received");
        Directory.CreateDirectory(received);
        var pacsPort = FreePort.Next();
        using var pacs = PeerProcess.Start("storescp", "-aet", "PACS", "-od", received, "-uf", pacsPort.ToString(CultureInfo.InvariantCulture));
        using var server = MimServer.Start(_temp.Sub("data"), bundles, "--destination", $"PACS@127.0.0.1:{pacsPort}");
        // stdout and stderr are read by separate asynchronous readers: this line may arrive after the port line.
        server.WaitFor(() => server.Output.Contains("Serving: bright-seg 1.0.0", StringComparison.Ordinal), Timeout, "the serving line");

        var send = PeerProcess.Run(Timeout, "storescu", ["-aet", "ROUTER", "-aec", "MIMSERVE", "127.0.0.1", server.PortText, .. Directory.GetFiles(axial), .. Directory.GetFiles(sagittal)]);
        Assert.True(send.ExitCode == 0, send.Output);

        server.WaitFor(() => ServeFolders.Segmentations(received).Count == 1 && ServeFolders.Jobs(_temp.Sub("data")).Any(j => j["State"]!.GetValue<string>() == "Delivered"), Timeout, "SEG at the PACS");
        var seg = Assert.Single(ServeFolders.Segmentations(received));
        var dataset = DicomFile.Open(seg).Dataset;
        Assert.Equal("1.2.826.0.1.3680043.10.1466.81.1", dataset.GetUid(StudyInstanceUid));
        Assert.Equal("1.2.826.0.1.3680043.10.1466.81.2", dataset.GetItems(ReferencedSeriesSequence).Single().GetUid(SeriesInstanceUid));
        var (code, stdout, stderr) = ExternalTool.Run("/usr/bin/dciodvfy", seg);
        var errors = (stdout + stderr).Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0 && code == 0, string.Join('\n', errors));

        // The job record says what ran and what it sent; the UID is the one derived from series, bundle, version, generation.
        var job = ServeFolders.Jobs(_temp.Sub("data")).Single();
        Assert.Equal("1.0.0", job["RanVersion"]!.GetValue<string>());
        Assert.Equal(ServeFolders.ExpectedResultUid(job), dataset.GetUid(SopInstanceUid));
        Assert.Equal(["load", "inference", "write", "deliver"], job["Stages"]!.AsArray().Select(s => s!["Name"]!.GetValue<string>()));
        Assert.All(job["Stages"]!.AsArray(), s => Assert.NotNull(s!["Ended"]?.GetValue<DateTimeOffset>()));

        // The sagittal series went to no bundle, with the reason in the log and the audit trail; no patient name anywhere.
        server.WaitFor(() => server.Output.Contains("1.2.826.0.1.3680043.10.1466.82.2 (study", StringComparison.Ordinal), Timeout, "unrouted series line");
        Assert.Contains("bright-seg 1.0.0: Orientation is \"SAGITTAL\"", server.Output, StringComparison.Ordinal);
        var audit = File.ReadAllText(Path.Combine(_temp.Sub("data"), "audit.jsonl"));
        Assert.Contains("\"unrouted\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"delivered\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"ROUTER\"", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("Phantom", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("PHANTOM1", audit + server.Output, StringComparison.Ordinal);

        // What the operator sees of the same run through the REST API of the same process.
        server.WaitFor(() => server.ApiAddress is not null, Timeout, "REST API start line");
        using (var http = new HttpClient { BaseAddress = server.ApiAddress })
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
            var jobs = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/jobs", UriKind.Relative)))!.AsArray();
            Assert.Equal(job["Id"]!.GetValue<string>(), Assert.Single(jobs)!["id"]!.GetValue<string>());
            var bundlesView = await http.GetStringAsync(new Uri("/api/bundles", UriKind.Relative));
            Assert.Contains("bright-seg", bundlesView, StringComparison.Ordinal);
            var unrouted = await http.GetStringAsync(new Uri("/api/series/unrouted", UriKind.Relative));
            Assert.Contains("1.2.826.0.1.3680043.10.1466.82.2", unrouted, StringComparison.Ordinal);
            var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Contains("mim_dicom_inbox_stored", metrics, StringComparison.Ordinal);
            Assert.Contains("mim_jobs_finished", metrics, StringComparison.Ordinal);
            Assert.Contains("mim_jobs_stage_duration", metrics, StringComparison.Ordinal);
            Assert.Contains("dotnet_process_memory_working_set", metrics, StringComparison.Ordinal);
            Assert.Contains("dotnet_gc_last_collection_heap_size", metrics, StringComparison.Ordinal);
        }

        Assert.Equal(0, server.Terminate(TimeSpan.FromSeconds(60)));
        Assert.Contains("Stopped.", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void After_kill_9_after_storage_during_inference_and_after_the_SEG_was_queued_the_study_gets_its_SEG_once_with_the_same_UID()
    {
        // A head that hangs on real CT (first voxel negative) keeps the job in inference while the host is killed.
        var bundles = WriteBundle("fault-hang");
        var axial = WriteSeries("axial", "1.2.826.0.1.3680043.10.1466.83", sagittal: false);
        var data = _temp.Sub("data");
        var received = _temp.Sub("received");
        Directory.CreateDirectory(received);
        var pacsPort = FreePort.Next();
        var config = _temp.Sub("appsettings.json");
        File.WriteAllText(config, """{ "Mim": { "Serve": { "DeliveryRetrySeconds": 1, "DeliveryAttempts": 1000 } } }""");
        string[] flags = ["--config", config, "--destination", $"PACS@127.0.0.1:{pacsPort}"];

        // Stored and acknowledged, still inside the quiet period: nothing handed on yet.
        using (var stored = MimServer.Start(data, bundles, [.. flags, "--quiet-seconds", "60"]))
        {
            var send = PeerProcess.Run(Timeout, "storescu", ["-aet", "ROUTER", "-aec", "MIMSERVE", "127.0.0.1", stored.PortText, .. Directory.GetFiles(axial)]);
            Assert.True(send.ExitCode == 0, send.Output);
            Assert.Empty(ServeFolders.Jobs(data));
            stored.KillHard();
        }

        // The assembler finds the stored series again; its job reaches inference and the host is killed there.
        using (var first = MimServer.Start(data, bundles, flags))
        {
            first.WaitFor(() => ServeFolders.Jobs(data).Any(j => j["Stages"]!.AsArray().Any(s => s!["Name"]!.GetValue<string>() == "inference")), Timeout, "job in inference");
            first.KillHard();
        }

        // The same bundle id and version, now a head that works; the PACS is still down.
        Directory.Delete(Path.Combine(bundles, "bright"), recursive: true);
        WriteBundle("threshold-segmentation");
        string uid;
        using (var second = MimServer.Start(data, bundles, flags))
        {
            Assert.Contains("Resuming 1 unfinished jobs of 1 series", second.Output, StringComparison.Ordinal);
            second.WaitFor(() => ServeFolders.Jobs(data).Any(j => j["Stages"]!.AsArray().Any(s => s!["Name"]!.GetValue<string>() == "deliver")), Timeout, "SEG queued in the outbox");
            var job = ServeFolders.Jobs(data).Single();
            uid = job["ResultSopInstanceUids"]![0]!.GetValue<string>();
            Assert.Equal(ServeFolders.ExpectedResultUid(job), uid);
            Assert.Equal("Running", job["State"]!.GetValue<string>());
            second.KillHard();
        }

        using var pacs = PeerProcess.Start("storescp", "-aet", "PACS", "-od", received, "-uf", pacsPort.ToString(CultureInfo.InvariantCulture));
        using var third = MimServer.Start(data, bundles, flags);
        third.WaitFor(() => ServeFolders.Jobs(data).Single()["State"]!.GetValue<string>() == "Delivered", Timeout, "delivery after the PACS came up");
        Thread.Sleep(2000);
        var seg = Assert.Single(ServeFolders.Segmentations(received));
        Assert.Equal(uid, DicomFile.Open(seg).Dataset.GetUid(SopInstanceUid));
        Assert.Single(ServeFolders.Jobs(data));
    }

    [Fact]
    public void A_destination_that_never_answers_dead_letters_the_result_after_the_configured_attempts_and_fails_the_job_saying_so()
    {
        var bundles = WriteBundle("threshold-segmentation");
        var axial = WriteSeries("axial", "1.2.826.0.1.3680043.10.1466.84", sagittal: false);
        var data = _temp.Sub("data");
        var config = _temp.Sub("appsettings.json");
        File.WriteAllText(config, """{ "Mim": { "Serve": { "DeliveryRetrySeconds": 1, "DeliveryAttempts": 2 } } }""");
        using var server = MimServer.Start(data, bundles, "--config", config, "--destination", $"PACS@127.0.0.1:{FreePort.Next()}");
        var send = PeerProcess.Run(Timeout, "storescu", ["-aet", "ROUTER", "-aec", "MIMSERVE", "127.0.0.1", server.PortText, .. Directory.GetFiles(axial)]);
        Assert.True(send.ExitCode == 0, send.Output);

        server.WaitFor(() => ServeFolders.Jobs(data).Any(j => j["State"]!.GetValue<string>() == "Failed"), Timeout, "dead-lettered job");
        var job = ServeFolders.Jobs(data).Single();
        Assert.Equal("dead-lettered for pacs", job["Error"]!.GetValue<string>());
        Assert.Equal("dead-letter", job["Deliveries"]!["pacs"]!["State"]!.GetValue<string>());
        Assert.Single(Directory.GetDirectories(Path.Combine(data, "outbox", "dead-letter", "pacs")));
        Assert.Contains("\"dead-lettered\"", File.ReadAllText(Path.Combine(data, "audit.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public void Files_dropped_into_the_watched_folder_go_through_the_same_pipeline_and_the_SEG_lands_in_the_output_folder()
    {
        var bundles = WriteBundle("threshold-segmentation");
        var axial = WriteSeries("axial", "1.2.826.0.1.3680043.10.1466.85", sagittal: false);
        var watch = _temp.Sub("watch");
        var output = _temp.Sub("output");
        Directory.CreateDirectory(watch);
        // The quiet period must outlast the folder's settle time plus a pass (the host refuses less).
        using var server = MimServer.Start(_temp.Sub("data"), bundles, "--watch", watch, "--output", output, "--quiet-seconds", "4");
        var junk = Path.Combine(watch, "notes.txt");
        File.WriteAllText(junk, "not DICOM");
        foreach (var file in Directory.GetFiles(axial))
        {
            File.Copy(file, Path.Combine(watch, Path.GetFileName(file)));
        }

        var study = Path.Combine(output, "1.2.826.0.1.3680043.10.1466.85.1");
        // The copy is made before the job record says Delivered: wait for both.
        server.WaitFor(() => Directory.Exists(study) && ServeFolders.Segmentations(study).Count == 1 && ServeFolders.Jobs(_temp.Sub("data")).Any(j => j["State"]!.GetValue<string>() == "Delivered"), Timeout, "SEG in the output folder");
        var job = ServeFolders.Jobs(_temp.Sub("data")).Single();
        Assert.Equal("Delivered", job["State"]!.GetValue<string>());
        Assert.Equal(ServeFolders.ExpectedResultUid(job), DicomFile.Open(ServeFolders.Segmentations(study).Single()).Dataset.GetUid(SopInstanceUid));
        Assert.Equal(["FOLDER"], job["CallingAeTitles"]!.AsArray().Select(a => a!.GetValue<string>()));

        // Imported files leave the folder; what is not DICOM is set aside with its reason.
        Assert.Empty(Directory.GetFiles(watch));
        Assert.True(File.Exists(Path.Combine(watch, ".rejected", "notes.txt.reason.txt")));
    }

    [Fact]
    public void With_the_inbox_journal_on_a_series_is_acknowledged_through_the_journal_and_its_SEG_delivered()
    {
        var bundles = WriteBundle("threshold-segmentation");
        var axial = WriteSeries("axial", "1.2.826.0.1.3680043.10.1466.87", sagittal: false);
        var received = _temp.Sub("received");
        Directory.CreateDirectory(received);
        var pacsPort = FreePort.Next();
        using var pacs = PeerProcess.Start("storescp", "-aet", "PACS", "-od", received, "-uf", pacsPort.ToString(CultureInfo.InvariantCulture));
        var config = _temp.Sub("appsettings.json");
        File.WriteAllText(config, """{ "Mim": { "Serve": { "InboxJournalSegmentMegabytes": 4 } } }""");
        var data = _temp.Sub("data");
        using var server = MimServer.Start(data, bundles, "--config", config, "--destination", $"PACS@127.0.0.1:{pacsPort}");

        var send = PeerProcess.Run(Timeout, "storescu", ["-aet", "ROUTER", "-aec", "MIMSERVE", "127.0.0.1", server.PortText, .. Directory.GetFiles(axial)]);
        Assert.True(send.ExitCode == 0, send.Output);
        server.WaitFor(() => ServeFolders.Segmentations(received).Count == 1 && ServeFolders.Jobs(data).Any(j => j["State"]!.GetValue<string>() == "Delivered"), Timeout, "SEG at the PACS");

        // Every slice went through a journal segment of the configured size.
        var segments = Directory.GetFiles(Path.Combine(data, "inbox", ".journal"));
        Assert.NotEmpty(segments);
        Assert.Contains(segments, s => new FileInfo(s).Length == 4L << 20);

        var refused = MimProcess.Run(Timeout, "serve", "--data", _temp.Sub("data2"), "--bundles", bundles, "--config", Bad());
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("Mim:Serve:InboxJournalSegmentMegabytes: -1 is outside 0..4096", refused.StdErr, StringComparison.Ordinal);

        string Bad()
        {
            var path = _temp.Sub("bad.json");
            File.WriteAllText(path, """{ "Mim": { "Serve": { "InboxJournalSegmentMegabytes": -1 } } }""");
            return path;
        }
    }

    [Fact]
    public void A_bad_setting_stops_the_start_with_a_message_naming_it()
    {
        var result = MimProcess.Run(Timeout, "serve", "--aet", "WAY-TOO-LONG-AE-TITLE", "--port", "70000", "--data", _temp.Sub("data"), "--bundles", _temp.Sub("bundles"), "--destination", "PACS@host:1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Mim:Serve:AeTitle: 'WAY-TOO-LONG-AE-TITLE' is not an AE title", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("Mim:Serve:Port: 70000 is outside 0..65535", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening", result.StdOut, StringComparison.Ordinal);
    }

    private string WriteBundle(string kind)
    {
        var bundles = _temp.Sub("bundles");
        var bundle = new TestBundle(kind);
        bundle.Selection["rules"] = JsonNode.Parse("""
        [ { "attribute": "Modality", "equals": "CT" },
          { "attribute": "Orientation", "equals": "AXIAL" },
          { "attribute": "NumberOfSlices", "min": 8 } ]
        """);
        bundle.Write(Path.Combine(bundles, "bright"));
        return bundles;
    }

    private string WriteSeries(string name, string uidRoot, bool sagittal)
    {
        var image = PhantomGenerator.Generate(seed: 9, size: 32).Image;
        if (sagittal)
        {
            var g = image.Geometry;
            var direction = new Direction3D(new Vector3D(0, 1, 0), new Vector3D(0, 0, -1), new Vector3D(-1, 0, 0));
            image = new Volume(new VolumeGeometry(g.Size, g.Origin, g.Spacing, direction, g.FrameOfReferenceUid), image.Voxels);
        }

        var folder = _temp.Sub(name);
        DcmtkPhantomSeries.Write(image, folder, uidRoot);
        return folder;
    }
}
