using System.Globalization;
using MiM.Bundles.Dicom.Network.Tests.Peers;

namespace MiM.Bundles.Dicom.Network.Tests.Scp;

/// <summary>DCMTK's echoscu and storescu (a real, independent requester) against our storage SCP.</summary>
public sealed class DcmtkToScpTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string Port(ScpFixture scp) => scp.Port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Echoscu_gets_success_from_our_scp()
    {
        await using var scp = ScpFixture.Start();
        var echo = PeerProcess.Run(Timeout, "echoscu", "-v", "-aet", "DCMTK", "-aec", "MIMTEST", "127.0.0.1", Port(scp));

        Assert.True(echo.ExitCode == 0, echo.Output);
        Assert.Contains("Received Echo Response (Success)", echo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storescu_instances_are_stored_byte_for_byte_and_acknowledged()
    {
        using var temp = new TempFolder("dcmtk-scp");
        var files = TestInstances.MakeCt(temp.Sub("ct"), 20);
        await using var scp = ScpFixture.Start();
        var store = PeerProcess.Run(Timeout, "storescu", ["-v", "-aet", "DCMTK", "-aec", "MIMTEST", "127.0.0.1", Port(scp), .. files]);

        Assert.True(store.ExitCode == 0, store.Output);
        Assert.Equal(20, CountOccurrences(store.Output, "Received Store Response (Success)"));
        var sent = files.Select(TestInstances.SopInstanceUidOf).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(sent, scp.StoredSopInstanceUids());
        foreach (var file in files)
        {
            var stored = scp.Inbox.Find(TestInstances.SopInstanceUidOf(file))!;

            // storescu proposes explicit LE first for a file in explicit LE; we accept that, so nothing was converted.
            Assert.Equal(TestInstances.DataSetBytes(file), TestInstances.DataSetBytes(stored));
        }
    }

    [Theory]
    [InlineData("liver_1frame.dcm")] // Segmentation Storage
    [InlineData("test-SR.dcm")] // Comprehensive SR
    [InlineData("MR_small_RLE.dcm")] // RLE Lossless
    [InlineData("ExplVR_BigEnd.dcm")] // Explicit VR Big Endian
    [InlineData("image_dfl.dcm")] // Deflated Explicit VR Little Endian
    public async Task Dcmsend_file_is_accepted_and_stored_in_its_own_transfer_syntax(string name)
    {
        var file = Path.Combine(TestInstances.PydicomTestFiles, name);
        await using var scp = ScpFixture.Start();

        // dcmsend proposes each file's SOP class in the file's own transfer syntax (storescu's default list lacks SEG,
        // and storescu -R would decompress RLE); -dn: never convert.
        var send = PeerProcess.Run(Timeout, "dcmsend", "-v", "-dn", "-aet", "DCMTK", "-aec", "MIMTEST", "127.0.0.1", Port(scp), file);

        Assert.True(send.ExitCode == 0, send.Output);
        var stored = Assert.Single(scp.StoredFiles());
        var sent = Dicom.Network.Scu.Part10Source.Read(file);
        var received = Dicom.Network.Scu.Part10Source.Read(stored);
        Assert.Equal(sent.SopClassUid, received.SopClassUid);
        if (sent.TransferSyntaxUid is not ("1.2.840.10008.1.2.2" or "1.2.840.10008.1.2"))
        {
            // Compressed and deflated data cannot be converted by dcmsend -dn: it went as it was. (Big endian and
            // implicit files dcmsend sends as explicit little endian, its own choice as proposer.)
            Assert.Equal(sent.TransferSyntaxUid, received.TransferSyntaxUid);
        }

        // DCMTK re-encodes what it sends (lengths, padding), so compare what an independent reader sees in both files.
        PydicomComparison.AssertSameDataSet(file, stored);
    }

    [Fact]
    public async Task Wrong_called_ae_title_is_rejected_as_called_ae_not_recognized()
    {
        await using var scp = ScpFixture.Start();
        var echo = PeerProcess.Run(Timeout, "echoscu", "-v", "-aet", "DCMTK", "-aec", "SOMEONE", "127.0.0.1", Port(scp));

        Assert.NotEqual(0, echo.ExitCode);
        Assert.Contains("Called AE Title Not Recognized", echo.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Calling_ae_title_not_on_the_allow_list_is_rejected_and_an_allowed_one_is_served()
    {
        await using var scp = ScpFixture.Start(o => o with { AllowedCallingAeTitles = ["FRIEND"] });
        var stranger = PeerProcess.Run(Timeout, "echoscu", "-v", "-aet", "STRANGER", "-aec", "MIMTEST", "127.0.0.1", Port(scp));
        var friend = PeerProcess.Run(Timeout, "echoscu", "-v", "-aet", "FRIEND", "-aec", "MIMTEST", "127.0.0.1", Port(scp));

        Assert.NotEqual(0, stranger.ExitCode);
        Assert.Contains("Calling AE Title Not Recognized", stranger.Output, StringComparison.OrdinalIgnoreCase);
        Assert.True(friend.ExitCode == 0, friend.Output);
    }

    [Fact]
    public async Task Several_storescu_at_once_are_all_served()
    {
        using var temp = new TempFolder("dcmtk-concurrent");
        var batches = Enumerable.Range(0, 6).Select(b => TestInstances.MakeCt(temp.Sub($"b{b}"), 10)).ToList();
        await using var scp = ScpFixture.Start();
        var runs = batches.Select(files => Task.Run(() => PeerProcess.Run(Timeout, "storescu", ["-aet", "DCMTK", "-aec", "MIMTEST", "127.0.0.1", Port(scp), .. files]))).ToArray();
        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Output));
        var sent = batches.SelectMany(b => b).Select(TestInstances.SopInstanceUidOf).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(sent, scp.StoredSopInstanceUids());
    }

    private static int CountOccurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
