using System.Buffers.Binary;
using System.Text;

namespace MiM.Bundles.Dicom.Network.UpperLayer;

/// <summary>
/// Encodes and decodes the association PDUs (A-ASSOCIATE-RQ/AC/RJ, A-RELEASE, A-ABORT) of PS3.8 9.3. Decoding
/// checks every length against the bytes actually present, so a malformed PDU becomes an
/// <see cref="UpperLayerProtocolException"/> instead of a crash or an out-of-range read.
/// </summary>
internal static class AssociationPduCodec
{
    private const int FixedFieldsLength = 68;

    public static byte[] EncodeRequest(AssociateRequest request)
    {
        var items = new List<byte>();
        AppendItem(items, 0x10, Encoding.ASCII.GetBytes(request.ApplicationContextName));
        foreach (var context in request.PresentationContexts)
        {
            var body = new List<byte> { context.Id, 0, 0, 0 };
            AppendItem(body, 0x30, Encoding.ASCII.GetBytes(context.AbstractSyntaxUid));
            foreach (var syntax in context.TransferSyntaxUids)
            {
                AppendItem(body, 0x40, Encoding.ASCII.GetBytes(syntax));
            }

            AppendItem(items, 0x20, [.. body]);
        }

        AppendItem(items, 0x50, EncodeUserInformation(request.UserInformation));
        return EncodeAssociatePdu(PduType.AssociateRequest, request.CalledAeTitle, request.CallingAeTitle, items);
    }

    public static byte[] EncodeAccept(AssociateAccept accept)
    {
        var items = new List<byte>();
        AppendItem(items, 0x10, Encoding.ASCII.GetBytes(accept.ApplicationContextName));
        foreach (var context in accept.PresentationContexts)
        {
            var body = new List<byte> { context.Id, 0, context.Result, 0 };
            AppendItem(body, 0x40, Encoding.ASCII.GetBytes(context.TransferSyntaxUid));
            AppendItem(items, 0x21, [.. body]);
        }

        AppendItem(items, 0x50, EncodeUserInformation(accept.UserInformation));
        return EncodeAssociatePdu(PduType.AssociateAccept, accept.CalledAeTitle, accept.CallingAeTitle, items);
    }

    public static byte[] EncodeReject(RejectReason reason) => Short(PduType.AssociateReject, [0, reason.Result, reason.Source, reason.Reason]);

    public static byte[] EncodeAbort(AbortReason reason) => Short(PduType.Abort, [0, 0, reason.Source, reason.Reason]);

    public static byte[] EncodeReleaseRequest() => Short(PduType.ReleaseRequest, [0, 0, 0, 0]);

    public static byte[] EncodeReleaseResponse() => Short(PduType.ReleaseResponse, [0, 0, 0, 0]);

    public static AssociateRequest DecodeRequest(ReadOnlySpan<byte> body)
    {
        var (called, calling, applicationContext, contexts, user) = DecodeAssociateItems(body, 0x20, DecodeProposedContext);
        return new AssociateRequest(
            called,
            calling,
            applicationContext ?? throw Malformed("A-ASSOCIATE-RQ has no application context item"),
            contexts,
            user ?? throw Malformed("A-ASSOCIATE-RQ has no user information item"));
    }

    public static AssociateAccept DecodeAccept(ReadOnlySpan<byte> body)
    {
        var (called, calling, applicationContext, contexts, user) = DecodeAssociateItems(body, 0x21, DecodeContextResult);
        return new AssociateAccept(
            called,
            calling,
            applicationContext ?? throw Malformed("A-ASSOCIATE-AC has no application context item"),
            contexts,
            user ?? new UserInformation(0, string.Empty, null));
    }

    public static RejectReason DecodeReject(ReadOnlySpan<byte> body)
        => body.Length < 4 ? throw Malformed("A-ASSOCIATE-RJ shorter than 4 bytes") : new RejectReason(body[1], body[2], body[3]);

    public static AbortReason DecodeAbort(ReadOnlySpan<byte> body)
        => body.Length < 4 ? throw Malformed("A-ABORT shorter than 4 bytes") : new AbortReason(body[2], body[3]);

    private static (string Called, string Calling, ReadOnlyMemory<byte> Items) DecodeFixedFields(ReadOnlySpan<byte> body)
    {
        if (body.Length < FixedFieldsLength)
        {
            throw Malformed($"association PDU of {body.Length} bytes is shorter than its fixed fields");
        }

        var version = BinaryPrimitives.ReadUInt16BigEndian(body);
        if ((version & 1) == 0)
        {
            throw new UpperLayerProtocolException(AbortReason.InvalidPduParameterValue, $"protocol version {version} does not include version 1");
        }

        return (AeTitle(body.Slice(4, 16)), AeTitle(body.Slice(20, 16)), body[FixedFieldsLength..].ToArray());
    }

    /// <summary>
    /// The variable items A-ASSOCIATE-RQ and -AC share (PS3.8 9.3.2, 9.3.3): they differ only in the presentation context
    /// item's type (0x20 proposed, 0x21 result) and how it is read. Missing items are left null for the caller to judge.
    /// </summary>
    private static (string Called, string Calling, string? ApplicationContext, List<T> Contexts, UserInformation? User) DecodeAssociateItems<T>(
        ReadOnlySpan<byte> body, byte contextItemType, Func<ReadOnlyMemory<byte>, T> decodeContext)
    {
        var (called, calling, items) = DecodeFixedFields(body);
        string? applicationContext = null;
        UserInformation? user = null;
        var contexts = new List<T>();
        foreach (var (type, value) in Items(items))
        {
            if (type == 0x10)
            {
                applicationContext = Ascii(value);
            }
            else if (type == contextItemType)
            {
                contexts.Add(decodeContext(value));
            }
            else if (type == 0x50)
            {
                user = DecodeUserInformation(value);
            }

            // PS3.8 9.3.2: unknown items (and the other PDU's context item) are ignored.
        }

        return (called, calling, applicationContext, contexts, user);
    }

    private static ProposedPresentationContext DecodeProposedContext(ReadOnlyMemory<byte> value)
    {
        if (value.Length < 4)
        {
            throw Malformed("presentation context item shorter than 4 bytes");
        }

        string? abstractSyntax = null;
        var transferSyntaxes = new List<string>();
        foreach (var (type, sub) in Items(value[4..]))
        {
            if (type == 0x30)
            {
                abstractSyntax = Ascii(sub);
            }
            else if (type == 0x40)
            {
                transferSyntaxes.Add(Ascii(sub));
            }
        }

        return new ProposedPresentationContext(value.Span[0], abstractSyntax ?? throw Malformed("presentation context without abstract syntax"), transferSyntaxes);
    }

    private static PresentationContextResult DecodeContextResult(ReadOnlyMemory<byte> value)
    {
        if (value.Length < 4)
        {
            throw Malformed("presentation context result item shorter than 4 bytes");
        }

        var transferSyntax = string.Empty;
        foreach (var (type, sub) in Items(value[4..]))
        {
            if (type == 0x40)
            {
                transferSyntax = Ascii(sub);
            }
        }

        return new PresentationContextResult(value.Span[0], value.Span[2], transferSyntax);
    }

    private static UserInformation DecodeUserInformation(ReadOnlyMemory<byte> value)
    {
        uint maximumLength = 0;
        var implementationClass = string.Empty;
        string? version = null;
        foreach (var (type, sub) in Items(value))
        {
            switch (type)
            {
                case 0x51 when sub.Length == 4:
                    maximumLength = BinaryPrimitives.ReadUInt32BigEndian(sub.Span);
                    break;
                case 0x51:
                    throw new UpperLayerProtocolException(AbortReason.InvalidPduParameterValue, "maximum length sub-item is not 4 bytes long");
                case 0x52:
                    implementationClass = Ascii(sub);
                    break;
                case 0x55:
                    version = Ascii(sub);
                    break;
                default:
                    // Asynchronous operations window, role selection, extended negotiation, user identity: we use
                    // the defaults (one operation at a time, SCU/SCP by default roles), which the standard allows.
                    break;
            }
        }

        return new UserInformation(maximumLength, implementationClass, version);
    }

    private static byte[] EncodeUserInformation(UserInformation user)
    {
        var body = new List<byte>();
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, user.MaximumLength);
        AppendItem(body, 0x51, length);
        AppendItem(body, 0x52, Encoding.ASCII.GetBytes(user.ImplementationClassUid));
        if (!string.IsNullOrEmpty(user.ImplementationVersionName))
        {
            AppendItem(body, 0x55, Encoding.ASCII.GetBytes(user.ImplementationVersionName));
        }

        return [.. body];
    }

    private static IEnumerable<(byte Type, ReadOnlyMemory<byte> Value)> Items(ReadOnlyMemory<byte> data)
    {
        var offset = 0;
        while (offset < data.Length)
        {
            if (data.Length - offset < 4)
            {
                throw Malformed("truncated item header");
            }

            var span = data.Span;
            var type = span[offset];
            int length = BinaryPrimitives.ReadUInt16BigEndian(span[(offset + 2)..]);
            if (offset + 4 + length > data.Length)
            {
                throw Malformed($"item 0x{type:X2} claims {length} bytes beyond the end of its PDU");
            }

            yield return (type, data.Slice(offset + 4, length));
            offset += 4 + length;
        }
    }

    private static byte[] EncodeAssociatePdu(PduType type, string called, string calling, List<byte> items)
    {
        var pdu = new byte[6 + FixedFieldsLength + items.Count];
        pdu[0] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(2), (uint)(FixedFieldsLength + items.Count));
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(6), 1);
        WriteAeTitle(pdu.AsSpan(10, 16), called);
        WriteAeTitle(pdu.AsSpan(26, 16), calling);
        items.CopyTo(pdu, 6 + FixedFieldsLength);
        return pdu;
    }

    private static void AppendItem(List<byte> target, byte type, byte[] value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"item 0x{type:X2} of {value.Length} bytes does not fit a 16-bit length", nameof(value));
        }

        target.Add(type);
        target.Add(0);
        target.Add((byte)(value.Length >> 8));
        target.Add((byte)value.Length);
        target.AddRange(value);
    }

    private static byte[] Short(PduType type, byte[] body)
    {
        var pdu = new byte[6 + body.Length];
        pdu[0] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(2), (uint)body.Length);
        body.CopyTo(pdu, 6);
        return pdu;
    }

    private static void WriteAeTitle(Span<byte> target, string title)
    {
        target.Fill((byte)' ');
        var bytes = Encoding.ASCII.GetBytes(title);
        bytes.AsSpan(0, Math.Min(16, bytes.Length)).CopyTo(target);
    }

    private static string AeTitle(ReadOnlySpan<byte> field) => Encoding.ASCII.GetString(field).Trim(' ', '\0');

    // UIDs may be padded with a NUL to even length (PS3.8 9.3.2.2.1 tolerates it from older implementations).
    private static string Ascii(ReadOnlyMemory<byte> value) => Encoding.ASCII.GetString(value.Span).TrimEnd('\0', ' ');

    private static UpperLayerProtocolException Malformed(string message) => new(AbortReason.UnrecognizedPduParameter, message);
}
