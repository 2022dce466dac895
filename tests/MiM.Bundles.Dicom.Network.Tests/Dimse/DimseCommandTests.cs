using MiM.Bundles.Dicom.Network.Dimse;

namespace MiM.Bundles.Dicom.Network.Tests.Dimse;

public sealed class DimseCommandTests
{
    [Fact]
    public void Store_request_round_trips_in_implicit_vr_little_endian_with_its_group_length()
    {
        var request = new DimseCommand
        {
            CommandField = DimseCommandField.CStoreRequest,
            MessageId = 513,
            AffectedSopClassUid = "1.2.840.10008.5.1.4.1.1.2",
            AffectedSopInstanceUid = "1.2.3.45",
            HasDataSet = true,
        };

        var encoded = request.Encode();
        var decoded = DimseCommand.Decode(encoded);

        Assert.Equal(request, decoded);
        Assert.Equal((uint)(encoded.Length - 12), BitConverter.ToUInt32(encoded, 8));
        Assert.Equal(0, encoded.Length % 2);
    }

    [Fact]
    public void Response_carries_status_and_an_error_comment_cut_to_64_characters()
    {
        var response = new DimseCommand { CommandField = DimseCommandField.CStoreResponse, MessageIdBeingRespondedTo = 9, Status = 0xA700, ErrorComment = new string('x', 100) };

        var decoded = DimseCommand.Decode(response.Encode());

        Assert.Equal((ushort)0xA700, decoded.Status);
        Assert.Equal(9, decoded.MessageIdBeingRespondedTo);
        Assert.Equal(64, decoded.ErrorComment!.Length);
        Assert.False(decoded.HasDataSet);
    }

    [Fact]
    public void Command_without_command_field_is_refused()
    {
        byte[] onlyMessageId = [0, 0, 0x10, 0x01, 2, 0, 0, 0, 1, 0];

        Assert.Throws<FormatException>(() => DimseCommand.Decode(onlyMessageId));
    }
}
