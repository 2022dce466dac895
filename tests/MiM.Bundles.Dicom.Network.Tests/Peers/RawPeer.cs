using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MiM.Bundles.Dicom.Network.UpperLayer;

namespace MiM.Bundles.Dicom.Network.Tests.Peers;

/// <summary>A requester that writes whatever bytes a test wants, to see how our SCP answers broken or cut-off peers.</summary>
internal sealed class RawPeer : IDisposable
{
    private readonly TcpClient _client = new() { NoDelay = true };

    private RawPeer()
    {
    }

    public NetworkStream Stream => _client.GetStream();

    public static async Task<RawPeer> ConnectAsync(int port)
    {
        var peer = new RawPeer();
        await peer._client.ConnectAsync(IPAddress.Loopback, port);
        return peer;
    }

    public static byte[] AssociateRequest(string called, params ProposedPresentationContext[] contexts)
        => AssociationPduCodec.EncodeRequest(new AssociateRequest(called, "RAWPEER", DicomUids.ApplicationContext, contexts, new UserInformation(16384, "1.2.3.4", "RAW")));

    public static byte[] PData(byte context, bool command, bool last, ReadOnlySpan<byte> data)
    {
        var pdu = new byte[12 + data.Length];
        pdu[0] = 0x04;
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(2), (uint)(6 + data.Length));
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(6), (uint)(2 + data.Length));
        pdu[10] = context;
        pdu[11] = (byte)((command ? 1 : 0) | (last ? 2 : 0));
        data.CopyTo(pdu.AsSpan(12));
        return pdu;
    }

    public async Task SendAsync(byte[] bytes) => await Stream.WriteAsync(bytes);

    /// <summary>Reads one PDU: type and body; null when the SCP closed the connection.</summary>
    public async Task<(PduType Type, byte[] Body)?> ReceiveAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var header = new byte[6];
        var got = await Stream.ReadAtLeastAsync(header, 6, throwOnEndOfStream: false, cancel.Token);
        if (got < 6)
        {
            return null;
        }

        var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
        await Stream.ReadExactlyAsync(body, cancel.Token);
        return ((PduType)header[0], body);
    }

    public async Task<bool> IsClosedAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[256];
        try
        {
            while (await Stream.ReadAsync(buffer, cancel.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (InvalidOperationException) when (!_client.Connected)
        {
            // A connection reset before we looked is closed too: the socket already knows it is not connected.
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _client.Dispose();
}
