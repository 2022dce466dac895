using System.Buffers.Binary;
using MiM.Bundles.Dicom.Network.UpperLayer;

namespace MiM.Bundles.Dicom.Network.Tests.UpperLayer;

/// <summary>The receive buffer follows the bytes that arrive, never the length a peer claims.</summary>
public sealed class PduChannelBufferTests
{
    private static byte[] Header(PduType type, uint length)
    {
        var header = new byte[6];
        header[0] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(2), length);
        return header;
    }

    /// <summary>Bytes allocated on this thread by one read; the stream completes synchronously, so the whole read runs here.</summary>
    private static long AllocatedByRead(PduChannel channel)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = channel.ReadAsync(CancellationToken.None);
        Assert.True(read.IsCompleted, "the read should complete synchronously on a memory stream");
        Assert.Throws<EndOfStreamException>(() => read.GetAwaiter().GetResult());
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Theory]
    [InlineData(PduType.AssociateRequest, PduChannel.MaximumAssociationPduLength)]
    [InlineData(PduType.DataTransfer, 1u << 20)]
    public async Task Peer_claiming_a_large_pdu_and_sending_10_bytes_costs_no_buffer_of_the_claimed_length(PduType type, uint claimed)
    {
        using var stream = new MemoryStream([.. Header(type, claimed), .. new byte[10]]);
        var channel = new PduChannel(stream, maximumReceiveLength: 4u << 20);
        await using (channel)
        {
            // Warm up: JIT and the async machinery allocate on first use, which is not what is measured.
            using var warm = new MemoryStream([.. Header(type, claimed), .. new byte[10]]);
            var warmChannel = new PduChannel(warm, 4u << 20);
            AllocatedByRead(warmChannel);

            var allocated = AllocatedByRead(channel);
            Assert.True(allocated < 32 << 10, $"reading 10 bytes of a claimed {claimed}-byte PDU allocated {allocated} bytes");
        }
    }

    [Fact]
    public async Task Pdu_arriving_in_small_pieces_is_read_whole_and_intact()
    {
        var body = new byte[300_000];
        new Random(7).NextBytes(body);
        using var stream = new TrickleStream([.. Header(PduType.DataTransfer, (uint)body.Length), .. body, .. Header(PduType.ReleaseRequest, 4), 0, 0, 0, 0], 997);
        var channel = new PduChannel(stream, 1u << 20);
        await using (channel)
        {
            var pdu = await channel.ReadAsync(default);
            Assert.Equal(PduType.DataTransfer, pdu?.Type);
            Assert.True(body.AsSpan().SequenceEqual(pdu!.Value.Body.Span));
            Assert.Equal(PduType.ReleaseRequest, (await channel.ReadAsync(default))?.Type);
            Assert.Null(await channel.ReadAsync(default));
        }
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, like a slow network.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
