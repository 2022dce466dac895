using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scu;
using MiM.Bundles.Dicom.Network.Tests.Peers;

namespace MiM.Bundles.Dicom.Network.Tests.Outbox;

/// <summary>The outbox with our real SCU, against DCMTK's storescp as the destination: up, down, back up.</summary>
public sealed class OutboxToStorescpTests
{
    private readonly FakeTimeProvider _clock = new();

    private DicomOutbox Open(string root, DicomDestination destination) => new(
        new OutboxOptions { Root = root, RetryBaseDelay = TimeSpan.FromSeconds(10), RetryMaxDelay = TimeSpan.FromMinutes(1), MaxAttempts = 3, JitterFraction = 0 },
        [destination],
        new DicomScu(new DicomScuOptions { ConnectTimeout = TimeSpan.FromSeconds(5) }),
        _clock);

    private static PeerProcess StartStorescp(string folder, int port)
    {
        var storescp = PeerProcess.Start("storescp", "-aet", "STORESCP", "-od", folder, port.ToString(CultureInfo.InvariantCulture));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", port);
                return storescp;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(50);
            }
        }
    }

    [Fact]
    public async Task Job_queued_while_storescp_is_down_is_retried_and_delivered_once_it_is_up()
    {
        using var temp = new TempFolder("outbox-storescp");
        var files = TestInstances.MakeCt(temp.Sub("results"), 4);
        var received = temp.Sub("received");
        var port = FreePort.Next();
        var destination = new DicomDestination("dcmtk", "STORESCP", "127.0.0.1", port, "MIMOUTBOX");
        var outbox = Open(temp.Sub("outbox"), destination);
        var job = await outbox.EnqueueAsync("dcmtk", files, default);

        // Down: connection refused, one failed attempt, the job waits 10 s (fake clock).
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(10), await outbox.ProcessDueAsync("dcmtk", default));
        Assert.Equal(1, outbox.FailedAttempts);

        using var storescp = StartStorescp(received, port);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(await outbox.ProcessDueAsync("dcmtk", default));

        Assert.Equal((1L, 4L), (outbox.DeliveredJobs, outbox.DeliveredFiles));
        Assert.False(Directory.Exists(outbox.JobFolder("dcmtk", job)));
        var stored = Directory.GetFiles(received).ToDictionary(TestInstances.SopInstanceUidOf);
        Assert.Equal(files.Count, stored.Count);
        foreach (var file in files)
        {
            Assert.Equal(TestInstances.DataSetBytes(file), TestInstances.DataSetBytes(stored[TestInstances.SopInstanceUidOf(file)]));
        }
    }

    [Fact]
    public async Task Job_for_a_stopped_storescp_is_dead_lettered_after_the_last_attempt_and_counted_once()
    {
        using var temp = new TempFolder("outbox-deadletter");
        var files = TestInstances.MakeCt(temp.Sub("results"), 3);
        var port = FreePort.Next();
        var outboxRoot = temp.Sub("outbox");
        var outbox = Open(outboxRoot, new DicomDestination("dcmtk", "STORESCP", "127.0.0.1", port));
        using (StartStorescp(temp.Sub("received"), port))
        {
            // storescp takes a first job, then it is stopped before the second one is sent.
            await outbox.EnqueueAsync("dcmtk", [files[0]], default);
            await outbox.ProcessDueAsync("dcmtk", default);
            Assert.Equal(1, outbox.DeliveredJobs);
        }

        var job = await outbox.EnqueueAsync("dcmtk", files, default);
        for (var step = 0; step < 12; step++)
        {
            await outbox.ProcessDueAsync("dcmtk", default);
            _clock.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal((1L, 3L), (outbox.DeadLettered, outbox.FailedAttempts));
        var dead = outbox.DeadLetterFolder("dcmtk", job);
        Assert.Equal(files.Count, Directory.GetFiles(dead, "*.dcm").Length);
        var reason = File.ReadAllText(Path.Combine(dead, "reason.txt"));
        Assert.Contains("attempts: 3", reason, StringComparison.Ordinal);
        Assert.Contains("3 of 3 files not delivered", reason, StringComparison.Ordinal);
        Assert.Empty(outbox.PendingJobs("dcmtk"));
    }
}
