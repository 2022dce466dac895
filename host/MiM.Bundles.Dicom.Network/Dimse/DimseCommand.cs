using System.Buffers.Binary;
using System.Text;

namespace MiM.Bundles.Dicom.Network.Dimse;

/// <summary>
/// A DIMSE command set (PS3.7 9.3, E.1): the group 0000 elements, always encoded in Implicit VR Little Endian with
/// its group length first.
/// </summary>
public sealed record DimseCommand
{
    /// <summary>Command Data Set Type (0000,0800) value meaning "no data set follows".</summary>
    public const ushort NoDataSet = 0x0101;

    /// <summary>Command Field (0000,0100).</summary>
    public required DimseCommandField CommandField { get; init; }

    /// <summary>Message ID (0000,0110) of a request.</summary>
    public ushort MessageId { get; init; }

    /// <summary>Message ID Being Responded To (0000,0120) of a response.</summary>
    public ushort MessageIdBeingRespondedTo { get; init; }

    /// <summary>Affected SOP Class UID (0000,0002).</summary>
    public string? AffectedSopClassUid { get; init; }

    /// <summary>Affected SOP Instance UID (0000,1000).</summary>
    public string? AffectedSopInstanceUid { get; init; }

    /// <summary>Priority (0000,0700) of a C-STORE-RQ: 0 medium.</summary>
    public ushort Priority { get; init; }

    /// <summary>Whether a data set follows the command (Command Data Set Type other than 0101).</summary>
    public bool HasDataSet { get; init; }

    /// <summary>Status (0000,0900) of a response.</summary>
    public ushort? Status { get; init; }

    /// <summary>Error Comment (0000,0902) of a failed response; never patient data.</summary>
    public string? ErrorComment { get; init; }

    /// <summary>Encodes the command set, group length first.</summary>
    public byte[] Encode()
    {
        var body = new List<byte>(160);
        if (AffectedSopClassUid is not null)
        {
            Text(body, 0x0002, AffectedSopClassUid, 0);
        }

        UnsignedShort(body, 0x0100, (ushort)CommandField);
        var isRequest = ((ushort)CommandField & 0x8000) == 0;
        UnsignedShort(body, isRequest ? (ushort)0x0110 : (ushort)0x0120, isRequest ? MessageId : MessageIdBeingRespondedTo);
        if (CommandField == DimseCommandField.CStoreRequest)
        {
            UnsignedShort(body, 0x0700, Priority);
        }

        UnsignedShort(body, 0x0800, HasDataSet ? (ushort)0x0000 : NoDataSet);
        if (Status is { } status)
        {
            UnsignedShort(body, 0x0900, status);
        }

        if (ErrorComment is not null)
        {
            Text(body, 0x0902, ErrorComment.Length > 64 ? ErrorComment[..64] : ErrorComment, (byte)' ');
        }

        if (AffectedSopInstanceUid is not null)
        {
            Text(body, 0x1000, AffectedSopInstanceUid, 0);
        }

        var encoded = new byte[12 + body.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(encoded.AsSpan(4), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(encoded.AsSpan(8), (uint)body.Count);
        body.CopyTo(encoded, 12);
        return encoded;
    }

    /// <summary>Decodes a command set; throws <see cref="FormatException"/> when it is malformed or lacks the Command Field.</summary>
    public static DimseCommand Decode(ReadOnlySpan<byte> data)
    {
        DimseCommandField? field = null;
        ushort messageId = 0, respondedTo = 0, priority = 0, dataSetType = NoDataSet;
        ushort? status = null;
        string? sopClass = null, sopInstance = null, comment = null;
        var offset = 0;
        while (offset < data.Length)
        {
            if (data.Length - offset < 8)
            {
                throw new FormatException("truncated command element header");
            }

            var group = BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]);
            var element = BinaryPrimitives.ReadUInt16LittleEndian(data[(offset + 2)..]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 4)..]);
            if (group != 0 || length > data.Length - offset - 8)
            {
                throw new FormatException($"command element ({group:X4},{element:X4}) of length {length} is not a valid group 0000 element");
            }

            var value = data.Slice(offset + 8, (int)length);
            switch (element)
            {
                case 0x0002: sopClass = Text(value); break;
                case 0x0100: field = (DimseCommandField)Short(value); break;
                case 0x0110: messageId = Short(value); break;
                case 0x0120: respondedTo = Short(value); break;
                case 0x0700: priority = Short(value); break;
                case 0x0800: dataSetType = Short(value); break;
                case 0x0900: status = Short(value); break;
                case 0x0902: comment = Text(value); break;
                case 0x1000: sopInstance = Text(value); break;
                default: break;
            }

            offset += 8 + (int)length;
        }

        return new DimseCommand
        {
            CommandField = field ?? throw new FormatException("command set has no Command Field (0000,0100)"),
            MessageId = messageId,
            MessageIdBeingRespondedTo = respondedTo,
            Priority = priority,
            HasDataSet = dataSetType != NoDataSet,
            Status = status,
            AffectedSopClassUid = sopClass,
            AffectedSopInstanceUid = sopInstance,
            ErrorComment = comment,
        };
    }

    private static ushort Short(ReadOnlySpan<byte> value)
        => value.Length == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(value) : throw new FormatException($"US command element of length {value.Length}");

    private static string Text(ReadOnlySpan<byte> value) => Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');

    private static void UnsignedShort(List<byte> target, ushort element, ushort value)
    {
        Header(target, element, 2);
        target.Add((byte)value);
        target.Add((byte)(value >> 8));
    }

    private static void Text(List<byte> target, ushort element, string value, byte padding)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        var padded = bytes.Length + (bytes.Length & 1);
        Header(target, element, (uint)padded);
        target.AddRange(bytes);
        if (padded != bytes.Length)
        {
            target.Add(padding);
        }
    }

    private static void Header(List<byte> target, ushort element, uint length)
    {
        target.Add(0);
        target.Add(0);
        target.Add((byte)element);
        target.Add((byte)(element >> 8));
        target.Add((byte)length);
        target.Add((byte)(length >> 8));
        target.Add((byte)(length >> 16));
        target.Add((byte)(length >> 24));
    }
}
