using System.Buffers.Binary;

namespace MiM.Bundles.Dicom.Network.UpperLayer;

/// <summary>One PDV of a P-DATA-TF: a fragment of a command or data set on a presentation context (PS3.8 9.3.5.1, E.2).</summary>
/// <param name="PresentationContextId">The context the fragment belongs to.</param>
/// <param name="IsCommand">Command (true) or data set (false) fragment.</param>
/// <param name="IsLast">The last fragment of its command or data set.</param>
/// <param name="Data">The fragment's bytes.</param>
internal readonly record struct PresentationDataValue(byte PresentationContextId, bool IsCommand, bool IsLast, ReadOnlyMemory<byte> Data)
{
    /// <summary>Splits a P-DATA-TF body into its PDVs, checking each item length against what is present.</summary>
    public static List<PresentationDataValue> Split(ReadOnlyMemory<byte> body)
    {
        var values = new List<PresentationDataValue>(1);
        var offset = 0;
        while (offset < body.Length)
        {
            var span = body.Span[offset..];
            if (span.Length < 6)
            {
                throw new UpperLayerProtocolException(AbortReason.InvalidPduParameterValue, "truncated PDV item");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(span);
            if (length < 2 || length > span.Length - 4)
            {
                throw new UpperLayerProtocolException(AbortReason.InvalidPduParameterValue, $"PDV item length {length} does not fit its PDU");
            }

            var header = span[5];
            values.Add(new PresentationDataValue(span[4], (header & 1) != 0, (header & 2) != 0, body.Slice(offset + 6, (int)length - 2)));
            offset += 4 + (int)length;
        }

        if (values.Count == 0)
        {
            throw new UpperLayerProtocolException(AbortReason.InvalidPduParameterValue, "P-DATA-TF without a PDV");
        }

        return values;
    }
}
