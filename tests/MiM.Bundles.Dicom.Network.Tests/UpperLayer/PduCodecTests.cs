using MiM.Bundles.Dicom.Network.UpperLayer;

namespace MiM.Bundles.Dicom.Network.Tests.UpperLayer;

public sealed class PduCodecTests
{
    [Fact]
    public void Associate_request_round_trips_with_contexts_and_user_information()
    {
        var request = new AssociateRequest(
            "CALLED",
            "CALLING",
            DicomUids.ApplicationContext,
            [new ProposedPresentationContext(1, DicomUids.Verification, [DicomUids.ImplicitVrLittleEndian]), new ProposedPresentationContext(3, "1.2.840.10008.5.1.4.1.1.66.4", [DicomUids.ExplicitVrLittleEndian, DicomUids.RleLossless])],
            new UserInformation(32768, "1.2.3.4", "VERSION1"));

        var decoded = AssociationPduCodec.DecodeRequest(AssociationPduCodec.EncodeRequest(request).AsSpan(6));

        Assert.Equal("CALLED", decoded.CalledAeTitle);
        Assert.Equal("CALLING", decoded.CallingAeTitle);
        Assert.Equal(request.UserInformation, decoded.UserInformation);
        Assert.Equal(2, decoded.PresentationContexts.Count);
        Assert.Equal([DicomUids.ExplicitVrLittleEndian, DicomUids.RleLossless], decoded.PresentationContexts[1].TransferSyntaxUids);
    }

    [Fact]
    public void Truncated_request_is_a_protocol_error_not_a_crash()
    {
        var encoded = AssociationPduCodec.EncodeRequest(new AssociateRequest("A", "B", DicomUids.ApplicationContext, [], new UserInformation(0, "1.2", null)));

        for (var cut = 6; cut < encoded.Length; cut++)
        {
            var body = encoded.AsSpan(6, cut - 6).ToArray();
            Assert.Throws<UpperLayerProtocolException>(() => AssociationPduCodec.DecodeRequest(body));
        }
    }

    [Fact]
    public async Task Channel_refuses_a_pdata_longer_than_announced_before_reading_it()
    {
        byte[] header = [0x04, 0, 0, 0, 0x10, 0x01];
        await using var channel = new PduChannel(new MemoryStream(header), 4096);

        var error = await Assert.ThrowsAsync<UpperLayerProtocolException>(() => channel.ReadAsync(default).AsTask());
        Assert.Equal(AbortReason.InvalidPduParameterValue, error.Abort);
    }

    [Fact]
    public async Task Pdata_writer_fragments_to_the_peers_maximum_and_the_pdvs_reassemble()
    {
        var data = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        var wire = new MemoryStream();
        var writer = new PDataWriter(wire, 1000);

        await writer.WriteDataSetAsync(5, new MemoryStream(data), data.Length, default);

        wire.Position = 0;
        await using var channel = new PduChannel(wire, 1000);
        var reassembled = new List<byte>();
        var pdus = 0;
        while (await channel.ReadAsync(default) is { } pdu)
        {
            pdus++;
            Assert.True(pdu.Body.Length <= 1000);
            var value = Assert.Single(PresentationDataValue.Split(pdu.Body));
            Assert.Equal(5, value.PresentationContextId);
            Assert.False(value.IsCommand);
            reassembled.AddRange(value.Data.ToArray());
            Assert.Equal(reassembled.Count == data.Length, value.IsLast);
        }

        Assert.Equal(data, reassembled);
        Assert.Equal((int)Math.Ceiling(data.Length / 994.0), pdus);
    }

    [Fact]
    public void Pdv_item_longer_than_its_pdu_is_a_protocol_error()
    {
        byte[] body = [0, 0, 0x10, 0, 1, 3, 9, 9];

        var error = Assert.Throws<UpperLayerProtocolException>(() => PresentationDataValue.Split(body));
        Assert.Equal(AbortReason.InvalidPduParameterValue, error.Abort);
    }
}
