namespace MiM.Bundles.Dicom.Network.UpperLayer;

/// <summary>One PDU as read: its type and its body (the bytes after the 6-byte header), valid until the next read.</summary>
/// <param name="Type">The PDU type.</param>
/// <param name="Body">The variable field; a view into the channel's receive buffer.</param>
internal readonly record struct Pdu(PduType Type, ReadOnlyMemory<byte> Body);
