using System.Net;
using System.Net.Sockets;
using MiM.Bundles.Dicom.Network.UpperLayer;

namespace MiM.Bundles.Dicom.Network.Tests.Peers;

/// <summary>
/// A storage SCP that accepts every association (and every proposed context) and then never reads again, with a
/// small receive buffer: whatever is sent to it after the A-ASSOCIATE-AC soon blocks the sender's writes.
/// </summary>
internal sealed class NonReadingAcceptor : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public NonReadingAcceptor()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Server.ReceiveBufferSize = 4096; // inherited by accepted sockets
        _listener.Start();
        _loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Associations accepted so far.</summary>
    public int Associations { get; private set; }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_accepted)
                {
                    _accepted.Add(socket);
                }

                var channel = new PduChannel(new NetworkStream(socket, ownsSocket: false), 1 << 16);
                var rq = await channel.ReadAsync(_stop.Token);
                var request = AssociationPduCodec.DecodeRequest(rq!.Value.Body.Span);
                var accept = new AssociateAccept(
                    request.CalledAeTitle,
                    request.CallingAeTitle,
                    DicomUids.ApplicationContext,
                    [.. request.PresentationContexts.Select(c => new PresentationContextResult(c.Id, PresentationContextResult.Acceptance, c.TransferSyntaxUids[0]))],
                    new UserInformation(16384, "1.2.3.4", "NOREAD"));
                await channel.WriteAsync(AssociationPduCodec.EncodeAccept(accept), _stop.Token);
                Associations++;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        lock (_accepted)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }
        }

        _stop.Dispose();
    }
}
