using System.Globalization;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Network.Tests.Peers;

namespace MiM.Bundles.Host.Tests.Cli;

/// <summary>`mim dicom echo|send|listen` as a user runs them, against DCMTK.</summary>
public sealed class DicomNetworkCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public void Listen_prints_its_port_stores_from_storescu_and_stops_on_ctrl_c()
    {
        using var temp = new TempFolder("cli-listen");
        var files = TestInstances.MakeCt(temp.Sub("ct"), 10);
        var inbox = Path.Combine(temp.Path, "inbox");
        using var listener = MimListener.Start(inbox);
        var store = PeerProcess.Run(Timeout, "storescu", ["-aet", "DCMTK", "-aec", "MIMTEST", "127.0.0.1", listener.PortText, .. files]);

        Assert.True(store.ExitCode == 0, store.Output + listener.Output);
        Assert.Equal(files.Select(Uid).Order(StringComparer.Ordinal), StoredUids(inbox));
        Assert.Equal(0, listener.Interrupt(TimeSpan.FromSeconds(20)));
        Assert.Contains("Association from DCMTK@", listener.Output, StringComparison.Ordinal);
        Assert.Contains("10 stored, 0 failed, released", listener.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Test^Network", listener.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Send_to_storescp_reports_each_file_and_fails_when_one_is_not_stored()
    {
        using var temp = new TempFolder("cli-send");
        var folder = temp.Sub("ct");
        TestInstances.MakeCt(folder, 4);
        var port = FreePort.Next();
        using var storescp = PeerProcess.Start("storescp", "-aet", "STORESCP", "-od", temp.Sub("received"), port.ToString(CultureInfo.InvariantCulture));
        Thread.Sleep(500);
        var to = $"STORESCP@127.0.0.1:{port}";

        var echo = MimProcess.Run(Timeout, "dicom", "echo", to, "--aet", "MIMCLI");
        var good = MimProcess.Run(Timeout, "dicom", "send", folder, "--to", to, "--aet", "MIMCLI");
        var mixed = MimProcess.Run(Timeout, "dicom", "send", folder, Path.Combine(TestInstances.PydicomTestFiles, "README.txt"), "--to", to);

        Assert.True(echo.ExitCode == 0, echo.StdOut + echo.StdErr);
        Assert.True(good.ExitCode == 0, good.StdOut + good.StdErr);
        Assert.Contains("[4/4]", good.StdOut, StringComparison.Ordinal);
        Assert.Contains("4 stored, 0 failed", good.StdOut, StringComparison.Ordinal);
        Assert.Equal(1, mixed.ExitCode);
        Assert.Contains("4 stored, 1 failed", mixed.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Echo_to_a_listener_with_the_wrong_ae_title_fails()
    {
        using var temp = new TempFolder("cli-echo");
        using var listener = MimListener.Start(Path.Combine(temp.Path, "inbox"));

        var wrong = MimProcess.Run(Timeout, "dicom", "echo", $"SOMEONE@127.0.0.1:{listener.PortText}");
        var right = MimProcess.Run(Timeout, "dicom", "echo", $"MIMTEST@127.0.0.1:{listener.PortText}");

        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("called AE title not recognized", wrong.StdErr, StringComparison.Ordinal);
        Assert.True(right.ExitCode == 0, right.StdOut + right.StdErr);
    }

    [Theory]
    // Enough instances that the kill lands inside the ingest: on a quiet machine the default path stored all of 300
    // small instances between the 100th acknowledgement and the kill.
    [InlineData("0", 1000)] // the default: each instance fsynced in place
    [InlineData("1", 1000)] // the inbox journal, 1 MB segments (many roll-overs and checkpoints)
    public void Kill_9_during_ingest_loses_no_acknowledged_instance_and_stores_none_twice(string journalSegmentMb, int count)
    {
        using var temp = new TempFolder("cli-kill");
        var files = TestInstances.MakeCt(temp.Sub("ct"), count);
        var uidOf = files.ToDictionary(f => f, Uid);
        var inbox = Path.Combine(temp.Path, "inbox");
        var acknowledged = new List<string>();
        using (var listener = MimListener.Start(inbox, "--journal-segment-mb", journalSegmentMb))
        {
            using var sender = PeerProcess.Start("storescu", ["-v", "-aet", "DCMTK", "-aec", "MIMTEST", "127.0.0.1", listener.PortText, .. files]);
            sender.WaitForOutput("Received Store Response (Success)", Timeout);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (Acknowledged(sender.Output).Count < 100 && !sender.HasExited && clock.Elapsed < Timeout)
            {
                Thread.Sleep(5);
            }

            listener.KillHard();
            while (!sender.HasExited && clock.Elapsed < Timeout)
            {
                Thread.Sleep(20);
            }

            acknowledged.AddRange(Acknowledged(sender.Output).Select(f => uidOf[f]));
        }

        Assert.InRange(acknowledged.Count, 100, count - 1);
        using (var restarted = MimListener.Start(inbox, "--journal-segment-mb", journalSegmentMb))
        {
            var afterCrash = StoredUids(inbox);
            Assert.Equal(afterCrash.Distinct().Count(), afterCrash.Length);
            Assert.Empty(acknowledged.Except(afterCrash));

            // The sender retries everything; what was stored before the crash is not stored a second time.
            var retry = PeerProcess.Run(Timeout, "storescu", ["-aet", "DCMTK", "-aec", "MIMTEST", "127.0.0.1", restarted.PortText, .. files]);
            Assert.True(retry.ExitCode == 0, retry.Output);
        }

        Assert.Equal(files.Select(f => uidOf[f]).Order(StringComparer.Ordinal), StoredUids(inbox));
    }

    // storescu -v prints "Sending file: X" before each store and "Received Store Response (Success)" after it.
    private static List<string> Acknowledged(string output)
    {
        var acknowledged = new List<string>();
        string? current = null;
        foreach (var line in output.Split('\n'))
        {
            const string sending = "I: Sending file: ";
            if (line.StartsWith(sending, StringComparison.Ordinal))
            {
                current = line[sending.Length..].TrimEnd('\r');
            }
            else if (line.Contains("Received Store Response (Success)", StringComparison.Ordinal) && current is not null)
            {
                acknowledged.Add(current);
                current = null;
            }
        }

        return acknowledged;
    }

    private static string Uid(string file) => DicomFile.Open(file).Dataset.GetUid(DicomTag.SopInstanceUid)!;

    // Every complete instance anywhere in the inbox except its temporary folder, read back by SOP Instance UID.
    private static string[] StoredUids(string inbox) =>
    [
        .. Directory.EnumerateFiles(inbox, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + ".", StringComparison.Ordinal))
            .Select(Uid)
            .Order(StringComparer.Ordinal),
    ];
}
