using System.Globalization;
using System.Text.Json;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scu;
using MiM.Bundles.Dicom.Network.Tests.Peers;

namespace MiM.Bundles.Dicom.Network.Tests.Scp;

/// <summary>dcmjs-dimse, a peer not built on DCMTK's network code, in both directions.</summary>
public sealed class DcmjsDimseTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Dcmjs_dimse_echoes_and_stores_into_our_scp_and_sees_every_instance_acknowledged()
    {
        using var temp = new TempFolder("dcmjs-to-scp");
        var files = TestInstances.MakeCt(temp.Sub("ct"), 12);
        // An SR too (dcmjs-dimse cannot send the 1-bit SEG sample: it transcodes only 8/16-bit pixel data).
        files.Add(Path.Combine(TestInstances.PydicomTestFiles, "test-SR.dcm"));
        await using var scp = ScpFixture.Start();

        var run = PeerProcess.Run(Timeout, "node", [NodePeer.Script("dimse-store.js"), "127.0.0.1", scp.Port.ToString(CultureInfo.InvariantCulture), "MIMTEST", "DCMJS", .. files]);

        Assert.True(run.ExitCode == 0, run.Output);
        var responses = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(responses, r => r.GetProperty("kind").GetString() == "echo" && r.GetProperty("status").GetInt32() == 0);
        var acknowledged = responses.Where(r => r.GetProperty("kind").GetString() == "store" && r.GetProperty("status").GetInt32() == 0)
            .Select(r => r.GetProperty("sop").GetString()!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(files.Select(TestInstances.SopInstanceUidOf).Order(StringComparer.Ordinal), acknowledged);
        Assert.Equal(acknowledged, scp.StoredSopInstanceUids());
        // (Only the CT is compared: dcmjs rewrites the SR's character set and text on the way out.)
        PydicomComparison.AssertSameDataSet(files[0], scp.Inbox.Find(TestInstances.SopInstanceUidOf(files[0]))!);
    }

    [Fact]
    public async Task Dcmjs_dimse_calling_the_wrong_ae_title_is_rejected()
    {
        await using var scp = ScpFixture.Start();

        var run = PeerProcess.Run(Timeout, "node", NodePeer.Script("dimse-store.js"), "127.0.0.1", scp.Port.ToString(CultureInfo.InvariantCulture), "WRONG", "DCMJS");

        Assert.Contains("\"kind\":\"rejected\"", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Our_scu_stores_into_a_dcmjs_dimse_scp()
    {
        using var temp = new TempFolder("scu-to-dcmjs");
        var files = TestInstances.MakeCt(temp.Sub("ct"), 5);
        var received = temp.Sub("received");
        var port = FreePort.Next();
        using var peer = PeerProcess.Start("node", NodePeer.Script("dimse-scp.js"), port.ToString(CultureInfo.InvariantCulture), "DCMJSSCP", received);
        peer.WaitForOutput("listening", Timeout);
        var destination = new DicomDestination("dcmjs", "DCMJSSCP", "127.0.0.1", port);

        Assert.Equal(0, await new DicomScu().EchoAsync(destination, default));
        var outcomes = await new DicomScu().SendAsync(destination, files, default);

        Assert.All(outcomes, o => Assert.True(o.Delivered, $"{o.FilePath}: {o.Status:X4} {o.Error} {peer.Output}"));
        foreach (var file in files)
        {
            PydicomComparison.AssertSameDataSet(file, Path.Combine(received, TestInstances.SopInstanceUidOf(file) + ".dcm"));
        }
    }
}
