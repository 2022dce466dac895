using System.Buffers.Binary;

namespace MiM.Bundles.Dicom.Network.UpperLayer;

/// <summary>
/// Sends a command or a data set as P-DATA-TF PDUs, one PDV each, fragmented so that no PDU exceeds the maximum
/// length the peer announced (PS3.8 D.1). Several PDUs of a data set are packed into one socket write: a peer
/// announcing 16 KB PDUs (DCMTK's default) would otherwise cost a system call per 16 KB.
/// </summary>
internal sealed class PDataWriter
{
    /// <summary>Fragment PDUs at this size when the peer announced no limit (0).</summary>
    public const uint UnlimitedFallback = 1 << 20;

    private const int HeaderLength = 12;
    private const int BatchLength = 1 << 18;

    private readonly Stream _stream;
    private readonly int _fragmentSize;
    private readonly byte[] _buffer;

    /// <param name="stream">Transport.</param>
    /// <param name="peerMaximumLength">The peer's maximum P-DATA-TF length (0: unlimited).</param>
    public PDataWriter(Stream stream, uint peerMaximumLength)
    {
        _stream = stream;
        var pduLength = peerMaximumLength == 0 ? UnlimitedFallback : Math.Min(peerMaximumLength, UnlimitedFallback * 4);

        // A peer announcing less than a PDV header plus one byte is broken; send at least minimal fragments.
        pduLength = Math.Max(pduLength, 8);
        _fragmentSize = (int)pduLength - 6;
        _buffer = new byte[Math.Max(BatchLength, HeaderLength + _fragmentSize)];
    }

    /// <summary>Largest fragment per PDU.</summary>
    public int FragmentSize => _fragmentSize;

    /// <summary>Sends bytes held in memory (a command set, or a small data set).</summary>
    public async ValueTask WriteAsync(byte presentationContextId, bool isCommand, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var offset = 0;
        do
        {
            var count = Math.Min(_fragmentSize, data.Length - offset);
            data.Slice(offset, count).CopyTo(_buffer.AsMemory(HeaderLength));
            offset += count;
            Header(0, presentationContextId, isCommand, offset == data.Length, count);
            await _stream.WriteAsync(_buffer.AsMemory(0, HeaderLength + count), cancellationToken).ConfigureAwait(false);
        }
        while (offset < data.Length);
    }

    /// <summary>Sends <paramref name="length"/> bytes read from <paramref name="source"/> as a data set.</summary>
    public async ValueTask WriteDataSetAsync(byte presentationContextId, Stream source, long length, CancellationToken cancellationToken)
    {
        var remaining = length;
        do
        {
            // Fill the buffer with as many whole PDUs as fit, then write them at once.
            var used = 0;
            do
            {
                var count = (int)Math.Min(_fragmentSize, remaining);
                await source.ReadExactlyAsync(_buffer.AsMemory(used + HeaderLength, count), cancellationToken).ConfigureAwait(false);
                remaining -= count;
                Header(used, presentationContextId, false, remaining == 0, count);
                used += HeaderLength + count;
            }
            while (remaining > 0 && used + HeaderLength + Math.Min(_fragmentSize, remaining) <= _buffer.Length);

            await _stream.WriteAsync(_buffer.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
        }
        while (remaining > 0);
    }

    private void Header(int at, byte presentationContextId, bool isCommand, bool isLast, int count)
    {
        var header = _buffer.AsSpan(at, HeaderLength);
        header[0] = (byte)PduType.DataTransfer;
        header[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[2..], (uint)(count + 6));
        BinaryPrimitives.WriteUInt32BigEndian(header[6..], (uint)(count + 2));
        header[10] = presentationContextId;
        header[11] = (byte)((isCommand ? 1 : 0) | (isLast ? 2 : 0));
    }
}
