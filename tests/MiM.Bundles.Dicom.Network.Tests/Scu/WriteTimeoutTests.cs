using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using MiM.Bundles.Dicom.Network.Dimse;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scu;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Dicom.Network.UpperLayer;

namespace MiM.Bundles.Dicom.Network.Tests.Scu;

/// <summary>A peer that stops reading cannot hold an association, an SCU or an outbox worker past the write timeout.</summary>
public sealed class WriteTimeoutTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    // Bound on filling the kernel's buffers with answers nobody reads (seconds here, more on a loaded machine).
    private static readonly TimeSpan FillGuard = TimeSpan.FromSeconds(120);
    private readonly TempFolder _temp = new("write-timeout");

    public void Dispose() => _temp.Dispose();

    private static DicomScu Scu() => new(new DicomScuOptions { WriteTimeout = TimeSpan.FromSeconds(1), ResponseTimeout = TimeSpan.FromMinutes(10) });

    [Fact]
    public async Task Scu_store_to_a_peer_that_stops_reading_fails_within_the_write_timeout()
    {
        var failure = await StoreToNonReadingPeerWithinAsync("1.2.826.0.1.3680043.10.9999.42", 48L << 20, TimeSpan.FromSeconds(15));

        Assert.Contains("stopped reading", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scu_store_whose_bytes_wait_unsent_in_the_kernel_for_a_peer_that_stopped_reading_fails_within_the_write_timeout()
    {
        // 64 KB fit our send buffer: every write completes, the bytes the peer's 4 KB window cannot take stay in our
        // kernel, and the SCU waits for a response (10 minutes allowed). The kernel's limit on unacknowledged data
        // must end it, not the response timeout.
        var failure = await StoreToNonReadingPeerWithinAsync("1.2.826.0.1.3680043.10.9999.44", 64L << 10, TimeSpan.FromSeconds(15));

        Assert.Contains("timed out", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outbox_worker_is_released_by_a_destination_that_stops_reading_and_the_job_waits_for_a_retry()
    {
        await using var peer = new NonReadingAcceptor();
        var file = LargePart10File.Write(_temp.Path, "1.2.826.0.1.3680043.10.9999.43", 48L << 20);
        var destination = new DicomDestination("stuck", "STUCK", "127.0.0.1", peer.Port);
        var time = new FakeTimeProvider();
        var outbox = new DicomOutbox(new OutboxOptions { Root = _temp.Sub("outbox"), JitterFraction = 0 }, [destination], Scu(), time);
        await outbox.EnqueueAsync("stuck", [file], default);

        var next = await outbox.ProcessDueAsync("stuck", default).WaitAsync(Guard);

        Assert.NotNull(next);
        Assert.Equal(1, outbox.FailedAttempts);
        Assert.Single(outbox.PendingJobs("stuck"));
    }

    [Fact]
    public async Task Scp_aborts_an_association_whose_peer_stops_reading_its_responses()
    {
        await using var scp = ScpFixture.Start(o => o with { WriteTimeout = TimeSpan.FromSeconds(1), IdleTimeout = TimeSpan.FromMinutes(10) });
        using var client = await NonReadingClientAsync(scp.Port);
        var stream = client.GetStream();
        var echoes = EchoRequests(500);

        // How long the SCP takes to fill its send buffer depends on the kernel's buffer sizes and on how fast it
        // answers (CI runs other test projects beside this one); what is tested is the time from the moment the
        // SCP stopped reading (our writes stall) to the end of the association.
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        long batches = 0;
        long lastWriteTicks = 0;
        var flood = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await stream.WriteAsync(echoes, stop.Token);
                    Interlocked.Increment(ref batches);
                    Interlocked.Exchange(ref lastWriteTicks, clock.Elapsed.Ticks);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        });

        while (scp.Scp.ActiveAssociations > 0 && clock.Elapsed < FillGuard)
        {
            await Task.Delay(50);
        }

        var ended = clock.Elapsed;
        var stalledFor = ended - TimeSpan.FromTicks(Interlocked.Read(ref lastWriteTicks));
        var seen = $"{Interlocked.Read(ref batches)} batches of 500 C-ECHO sent in {ended.TotalSeconds:0.0} s, the last one {stalledFor.TotalSeconds:0.0} s before";
        await stop.CancelAsync();
        client.Dispose();
        await flood;
        Assert.True(scp.Scp.ActiveAssociations == 0, $"the association is still open: {seen}");
        Assert.True(stalledFor < TimeSpan.FromSeconds(10), $"the association ended long after the SCP stopped reading: {seen}");
    }

    [Fact]
    public async Task Scp_aborts_an_association_whose_answers_wait_unsent_in_the_kernel_for_a_peer_that_stopped_reading()
    {
        await using var scp = ScpFixture.Start(o => o with { WriteTimeout = TimeSpan.FromSeconds(1), IdleTimeout = TimeSpan.FromMinutes(10) });
        using var client = await NonReadingClientAsync(scp.Port);

        // 300 requests fit the SCP's receive buffer and their answers (~33 KB) its send buffer, so none of its writes
        // ever waits: the answers the client's 2 KB window cannot take stay queued in the SCP's kernel while the SCP
        // waits for the next request. The peer still holds the connection and reads nothing; nothing times out in
        // the SCP's own code. The kernel's limit on unacknowledged data must end it.
        await client.GetStream().WriteAsync(EchoRequests(300));
        var clock = Stopwatch.StartNew();
        while (scp.Scp.ActiveAssociations > 0 && clock.Elapsed < Guard)
        {
            await Task.Delay(50);
        }

        Assert.True(scp.Scp.ActiveAssociations == 0, $"the association is still open after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the association ended only after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Sends one instance of <paramref name="bytes"/> to a peer that never reads; the failure, which must come within <paramref name="limit"/>.</summary>
    private async Task<DicomNetworkException> StoreToNonReadingPeerWithinAsync(string sopInstanceUid, long bytes, TimeSpan limit)
    {
        await using var peer = new NonReadingAcceptor();
        var file = LargePart10File.Write(_temp.Path, sopInstanceUid, bytes);
        var destination = new DicomDestination("stuck", "STUCK", "127.0.0.1", peer.Port);
        var clock = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<DicomNetworkException>(() => Scu().SendAsync(destination, [file], default).WaitAsync(Guard));

        Assert.True(clock.Elapsed < limit, $"took {clock.Elapsed}");
        return failure;
    }

    /// <summary>A client with a tiny receive window, associated for Verification, that will never read again.</summary>
    private static async Task<TcpClient> NonReadingClientAsync(int port)
    {
        var client = new TcpClient { ReceiveBufferSize = 2048, NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(RawPeer.AssociateRequest("MIMTEST", new ProposedPresentationContext(1, DicomUids.Verification, [DicomUids.ImplicitVrLittleEndian])));
        var header = new byte[6];
        await stream.ReadExactlyAsync(header);
        Assert.Equal((byte)PduType.AssociateAccept, header[0]);
        return client;
    }

    /// <summary>Consecutive C-ECHO requests as one buffer of P-DATA-TF PDUs.</summary>
    private static byte[] EchoRequests(int count)
    {
        var echoes = new MemoryStream();
        for (var id = 1; id <= count; id++)
        {
            var echo = new DimseCommand { CommandField = DimseCommandField.CEchoRequest, MessageId = (ushort)id, AffectedSopClassUid = DicomUids.Verification };
            echoes.Write(RawPeer.PData(1, command: true, last: true, echo.Encode()));
        }

        return echoes.ToArray();
    }
}
