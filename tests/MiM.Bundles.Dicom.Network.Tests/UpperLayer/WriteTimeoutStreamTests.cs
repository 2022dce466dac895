using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MiM.Bundles.Dicom.Network.UpperLayer;

namespace MiM.Bundles.Dicom.Network.Tests.UpperLayer;

/// <summary>Which clock notices a peer that stopped reading does not change what a write reports.</summary>
public sealed class WriteTimeoutStreamTests
{
    [Fact]
    public async Task A_write_the_kernel_ends_for_unacknowledged_data_is_reported_as_a_peer_that_stopped_reading()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Server.ReceiveBufferSize = 4096;
        listener.Start();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var neverReads = await listener.AcceptSocketAsync();

        // The kernel's limit (1 s) far below the stream's own (5 minutes): the kernel ends the connection first.
        UnacknowledgedDataLimit.Apply(socket, TimeSpan.FromSeconds(1));
        await using var stream = new WriteTimeoutStream(new NetworkStream(socket, ownsSocket: false), TimeSpan.FromMinutes(5));
        var chunk = new byte[1 << 20];
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<PeerNotReadingException>(async () =>
        {
            while (true)
            {
                await stream.WriteAsync(chunk);
            }
        }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }
}
