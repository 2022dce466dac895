using System.Globalization;
using System.Text.Json.Nodes;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Host.Tests.Catalog;
using MiM.Bundles.Imaging.Phantoms;
using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Host.Tests.Serving;

/// <summary>
/// `mim serve` behind Orthanc acting as the hospital's router and PACS: studies are sent to Orthanc with DCMTK
/// storescu, Orthanc's own Lua routing (OnStableSeries) forwards CT series to the host(s), and the host sends its SEG
/// and SR back to Orthanc, where they must sit in the same study as the CT.
/// </summary>
public sealed class ServeWithOrthancTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Two_studies_sent_at_once_each_get_a_SEG_and_an_SR_from_two_matching_bundles_next_to_their_CT()
    {
        var bundles = _temp.Sub("bundles");
        Segmentation().Write(Path.Combine(bundles, "bright"));
        TestCatalogs.Encoder().Write(Path.Combine(bundles, "encoder"));
        TestCatalogs.FeatureHead("lesion-cls").Write(Path.Combine(bundles, "lesion-cls"));
        string[] roots = ["1.2.826.0.1.3680043.10.1466.91", "1.2.826.0.1.3680043.10.1466.92"];
        var studies = roots.Select((root, i) => WriteSeries($"study{i}", root, seed: 9 + i)).ToList();
        var mimPort = FreePort.Next();
        var orthancPort = FreePort.Next();
        using var server = MimServer.Start(_temp.Sub("data"), bundles, "--port", mimPort.ToString(CultureInfo.InvariantCulture), "--destination", $"{OrthancRouter.AeTitle}@127.0.0.1:{orthancPort}");
        // stdout and stderr are read by separate asynchronous readers: this line may arrive after the port line.
        server.WaitFor(() => server.Output.Contains("Serving: bright-seg 1.0.0, lesion-cls 1.0.0, test-encoder 1.0.0", StringComparison.Ordinal), Timeout, "the serving line");
        using var orthanc = await OrthancRouter.StartAsync(orthancPort, mimPort);

        // Two modalities send at the same time.
        var sends = await Task.WhenAll(studies.Select(folder => Task.Run(() => PeerProcess.Run(Timeout, "storescu", ["-aet", "MODALITY", "-aec", OrthancRouter.AeTitle, "127.0.0.1", orthancPort.ToString(CultureInfo.InvariantCulture), .. Directory.GetFiles(folder)]))));
        Assert.All(sends, send => Assert.True(send.ExitCode == 0, send.Output));

        foreach (var (root, folder) in roots.Zip(studies))
        {
            var series = await WaitForStudyAsync(orthanc, server, $"{root}.1", ["CT", "SEG", "SR"]);
            Assert.Equal(32, series.Single(s => s.Modality == "CT").Instances);
            var seg = _temp.Sub($"{root}.seg.dcm");
            await File.WriteAllBytesAsync(seg, await orthanc.FirstInstanceAsync(series.Single(s => s.Modality == "SEG").SeriesId));
            var sr = _temp.Sub($"{root}.sr.dcm");
            await File.WriteAllBytesAsync(sr, await orthanc.FirstInstanceAsync(series.Single(s => s.Modality == "SR").SeriesId));
            AssertValid(seg);
            AssertValid(sr);

            // pydicom, an independent reader: the SEG's one segment against the truth of a threshold at 100 HU.
            var (code, stdout, stderr) = ExternalTool.Run("/usr/bin/python3", "-c", DiceScript, seg, folder);
            Assert.True(code == 0, stdout + stderr);
            var fields = stdout.Trim().Split(' ');
            Assert.Equal("bright", fields[0]);
            Assert.True(double.Parse(fields[1], CultureInfo.InvariantCulture) >= 0.99, $"Dice {fields[1]} below 0.99");
        }

        var jobs = Directory.GetFiles(Path.Combine(_temp.Sub("data"), "jobs"), "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!).ToList();
        Assert.Equal(4, jobs.Count);
        Assert.All(jobs, j => Assert.Equal("Delivered", j["State"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Two_hosts_behind_one_router_share_the_studies_and_every_study_gets_exactly_one_result()
    {
        var bundlesA = _temp.Sub("bundles-a");
        var bundlesB = _temp.Sub("bundles-b");
        Segmentation().Write(Path.Combine(bundlesA, "bright"));
        Segmentation().Write(Path.Combine(bundlesB, "bright"));
        // Digit sums of odd and even parity: the router's rule sends one study to each host.
        string[] roots = ["1.2.826.0.1.3680043.10.1466.93", "1.2.826.0.1.3680043.10.1466.94"];
        var studies = roots.Select((root, i) => WriteSeries($"study{i}", root, seed: 11 + i)).ToList();
        int[] ports = [FreePort.Next(), FreePort.Next()];
        var orthancPort = FreePort.Next();
        using var a = MimServer.Start(_temp.Sub("data-a"), bundlesA, "--port", ports[0].ToString(CultureInfo.InvariantCulture), "--destination", $"{OrthancRouter.AeTitle}@127.0.0.1:{orthancPort}");
        using var b = MimServer.Start(_temp.Sub("data-b"), bundlesB, "--port", ports[1].ToString(CultureInfo.InvariantCulture), "--destination", $"{OrthancRouter.AeTitle}@127.0.0.1:{orthancPort}");
        using var orthanc = await OrthancRouter.StartAsync(orthancPort, ports);

        foreach (var folder in studies)
        {
            var send = PeerProcess.Run(Timeout, "storescu", ["-aet", "MODALITY", "-aec", OrthancRouter.AeTitle, "127.0.0.1", orthancPort.ToString(CultureInfo.InvariantCulture), .. Directory.GetFiles(folder)]);
            Assert.True(send.ExitCode == 0, send.Output);
        }

        foreach (var root in roots)
        {
            await WaitForStudyAsync(orthanc, a, $"{root}.1", ["CT", "SEG"]);
        }

        // Give a duplicate every chance to arrive, then count: one SEG series of one instance per study, one job per host.
        await Task.Delay(TimeSpan.FromSeconds(3));
        foreach (var root in roots)
        {
            var series = await orthanc.SeriesOfStudyAsync($"{root}.1");
            Assert.Equal(["CT", "SEG"], series.Select(s => s.Modality).Order(StringComparer.Ordinal));
            Assert.Equal(1, series.Single(s => s.Modality == "SEG").Instances);
        }

        Assert.Single(Directory.GetFiles(Path.Combine(_temp.Sub("data-a"), "jobs"), "*.json"));
        Assert.Single(Directory.GetFiles(Path.Combine(_temp.Sub("data-b"), "jobs"), "*.json"));
    }

    private const string DiceScript = """
        import glob, sys
        import numpy as np, pydicom
        seg = pydicom.dcmread(sys.argv[1])
        cts = sorted((pydicom.dcmread(f) for f in glob.glob(sys.argv[2] + '/*.dcm')), key=lambda d: float(d.ImagePositionPatient[2]))
        z = [round(float(d.ImagePositionPatient[2]), 3) for d in cts]
        truth = np.stack([d.pixel_array * float(d.RescaleSlope) + float(d.RescaleIntercept) > 100 for d in cts])
        pred = np.zeros_like(truth)
        px = seg.pixel_array.reshape(int(seg.NumberOfFrames), int(seg.Rows), int(seg.Columns))
        for i, f in enumerate(seg.PerFrameFunctionalGroupsSequence):
            k = z.index(round(float(f.PlanePositionSequence[0].ImagePositionPatient[2]), 3))
            pred[k] |= px[i].astype(bool)
        labels = [s.SegmentLabel for s in seg.SegmentSequence]
        print(','.join(labels), 2 * (pred & truth).sum() / (pred.sum() + truth.sum()))
        """;

    private static TestBundle Segmentation()
    {
        var bundle = new TestBundle();
        bundle.Selection["rules"] = JsonNode.Parse("""
        [ { "attribute": "Modality", "equals": "CT" },
          { "attribute": "Orientation", "equals": "AXIAL" },
          { "attribute": "NumberOfSlices", "min": 8 } ]
        """);
        return bundle;
    }

    private string WriteSeries(string name, string uidRoot, int seed)
    {
        var folder = _temp.Sub(name);
        DcmtkPhantomSeries.Write(PhantomGenerator.Generate(seed, size: 32).Image, folder, uidRoot);
        return folder;
    }

    private static async Task<List<(string Modality, string SeriesId, int Instances)>> WaitForStudyAsync(OrthancRouter orthanc, MimServer server, string studyUid, string[] modalities)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var series = await orthanc.SeriesOfStudyAsync(studyUid);
            if (modalities.All(m => series.Any(s => s.Modality == m)))
            {
                return series;
            }

            Assert.True(clock.Elapsed < Timeout, $"study {studyUid} has {string.Join(", ", series.Select(s => s.Modality))}, not {string.Join(", ", modalities)} after {Timeout}:\n{server.Output}\n{orthanc.Output}");
            await Task.Delay(250);
        }
    }

    private static void AssertValid(string file)
    {
        var (code, stdout, stderr) = ExternalTool.Run("/usr/bin/dciodvfy", file);
        var errors = (stdout + stderr).Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0 && code == 0, $"{file}: {string.Join('\n', errors)}");
    }
}
