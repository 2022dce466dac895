using System.Buffers.Binary;

namespace MiM.Bundles.Dicom.Network.UpperLayer;

/// <summary>
/// Sends a command or a data set as P-DATA-TF PDUs, one PDV each, fragmented so that no PDU exceeds the maximum
/// length the peer announced (PS3.8 D.1). Header and fragment go out in one write.
/// </summary>
internal sealed class PDataWriter
{
    /// <summary>Fragment PDUs at this size when the peer announced no limit (0).</summary>
    public const uint UnlimitedFallback = 1 << 20;

    private readonly Stream _stream;
    private readonly byte[] _buffer;

    /// <param name="stream">Transport.</param>
    /// <param name="peerMaximumLength">The peer's maximum P-DATA-TF length (0: unlimited).</param>
    public PDataWriter(Stream stream, uint peerMaximumLength)
    {
        _stream = stream;
        var pduLength = peerMaximumLength == 0 ? UnlimitedFallback : Math.Min(peerMaximumLength, UnlimitedFallback * 4);

        // A peer announcing less than a PDV header plus one byte is broken; send at least minimal fragments.
        pduLength = Math.Max(pduLength, 8);
        _buffer = new byte[6 + pduLength];
    }

    /// <summary>Largest fragment per PDU.</summary>
    public int FragmentSize => _buffer.Length - 12;

    /// <summary>Sends bytes held in memory (a command set, or a small data set).</summary>
    public async ValueTask WriteAsync(byte presentationContextId, bool isCommand, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var offset = 0;
        do
        {
            var count = Math.Min(FragmentSize, data.Length - offset);
            data.Slice(offset, count).CopyTo(_buffer.AsMemory(12));
            offset += count;
            await SendAsync(presentationContextId, isCommand, offset == data.Length, count, cancellationToken).ConfigureAwait(false);
        }
        while (offset < data.Length);
    }

    /// <summary>Sends <paramref name="length"/> bytes read from <paramref name="source"/> as a data set.</summary>
    public async ValueTask WriteDataSetAsync(byte presentationContextId, Stream source, long length, CancellationToken cancellationToken)
    {
        var remaining = length;
        do
        {
            var count = (int)Math.Min(FragmentSize, remaining);
            await source.ReadExactlyAsync(_buffer.AsMemory(12, count), cancellationToken).ConfigureAwait(false);
            remaining -= count;
            await SendAsync(presentationContextId, false, remaining == 0, count, cancellationToken).ConfigureAwait(false);
        }
        while (remaining > 0);
    }

    private ValueTask SendAsync(byte presentationContextId, bool isCommand, bool isLast, int count, CancellationToken cancellationToken)
    {
        _buffer[0] = (byte)PduType.DataTransfer;
        _buffer[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(2), (uint)(count + 6));
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(6), (uint)(count + 2));
        _buffer[10] = presentationContextId;
        _buffer[11] = (byte)((isCommand ? 1 : 0) | (isLast ? 2 : 0));
        return _stream.WriteAsync(_buffer.AsMemory(0, 12 + count), cancellationToken);
    }
}
