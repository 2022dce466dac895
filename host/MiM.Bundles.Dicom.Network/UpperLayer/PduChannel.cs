using System.Buffers.Binary;

namespace MiM.Bundles.Dicom.Network.UpperLayer;

/// <summary>
/// Reads and writes whole PDUs on a transport stream (TCP or TLS). Every length the peer claims is checked against
/// a bound before anything is read: a P-DATA-TF may not exceed the maximum length we announced, an
/// association PDU may not exceed <see cref="MaximumAssociationPduLength"/>; a claimed 4 GB PDU is a protocol error,
/// not a 4 GB allocation. Within the bound the receive buffer grows only as bytes actually arrive (doubling), so a
/// peer that claims a large PDU and then sends 10 bytes costs the small initial buffer, not the claimed length.
/// <see cref="ReadAsync"/> lets only these escape on bad input: <see cref="UpperLayerProtocolException"/> (a PDU we
/// refuse), <see cref="EndOfStreamException"/> (the connection ended inside a PDU), and the transport's own
/// <see cref="IOException"/> or <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class PduChannel : IAsyncDisposable
{
    /// <summary>Bound for A-ASSOCIATE-RQ/AC (128 presentation contexts with several transfer syntaxes fit easily).</summary>
    public const int MaximumAssociationPduLength = 1 << 18;

    /// <summary>What a new channel holds before the peer sent anything: enough for an A-ASSOCIATE-RQ with a few contexts.</summary>
    internal const int InitialBufferLength = 4096;

    private readonly Stream _stream;
    private readonly uint _maximumReceiveLength;
    private readonly byte[] _header = new byte[6];
    private byte[] _body = new byte[InitialBufferLength];

    /// <param name="stream">The transport.</param>
    /// <param name="maximumReceiveLength">The maximum P-DATA-TF length we announce to the peer.</param>
    /// <param name="writeTimeout">Limit for each write (see <see cref="WriteTimeoutStream"/>); null: none.</param>
    public PduChannel(Stream stream, uint maximumReceiveLength, TimeSpan? writeTimeout = null)
    {
        _stream = writeTimeout is { } limit ? new WriteTimeoutStream(stream, limit) : stream;
        _maximumReceiveLength = maximumReceiveLength;
    }

    /// <summary>The transport, with the write timeout applied: every writer of this association writes here.</summary>
    public Stream Stream => _stream;

    /// <summary>Reads the next PDU; null when the peer closed the connection cleanly between PDUs.</summary>
    public async ValueTask<Pdu?> ReadAsync(CancellationToken cancellationToken)
    {
        var got = 0;
        while (got < _header.Length)
        {
            var read = await _stream.ReadAsync(_header.AsMemory(got), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return got == 0 ? null : throw new EndOfStreamException("connection closed inside a PDU header");
            }

            got += read;
        }

        var type = (PduType)_header[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(2));
        var limit = type switch
        {
            PduType.DataTransfer => _maximumReceiveLength,
            PduType.AssociateRequest or PduType.AssociateAccept => (uint)MaximumAssociationPduLength,
            PduType.AssociateReject or PduType.ReleaseRequest or PduType.ReleaseResponse or PduType.Abort => 4u,
            _ => throw new UpperLayerProtocolException(AbortReason.UnrecognizedPdu, $"unknown PDU type 0x{_header[0]:X2}"),
        };
        if (length > limit)
        {
            throw new UpperLayerProtocolException(
                AbortReason.InvalidPduParameterValue, $"{type} PDU of {length} bytes exceeds the limit of {limit} bytes");
        }

        var total = (int)length;
        var received = 0;
        while (received < total)
        {
            if (received == _body.Length)
            {
                // Only now, with the buffer full of bytes that really came, is a bigger one worth its memory.
                var grown = new byte[Math.Min(total, _body.Length * 2)];
                _body.AsSpan(0, received).CopyTo(grown);
                _body = grown;
            }

            var read = await _stream.ReadAsync(_body.AsMemory(received, Math.Min(_body.Length, total) - received), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException($"connection closed inside a {type} PDU after {received} of {total} bytes");
            }

            received += read;
        }

        return new Pdu(type, _body.AsMemory(0, total));
    }

    /// <summary>Writes one complete PDU (header included).</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> pdu, CancellationToken cancellationToken) => _stream.WriteAsync(pdu, cancellationToken);

    /// <summary>Sends an A-ABORT, ignoring a transport that is already gone.</summary>
    public async ValueTask TryAbortAsync(AbortReason reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _stream.WriteAsync(AssociationPduCodec.EncodeAbort(reason), timeout.Token).ConfigureAwait(false);
            await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer is gone already; there is nobody left to tell.
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
