using System.Buffers.Binary;
using System.Text;

namespace MiM.Bundles.Dicom.Network.Scu;

/// <summary>
/// What a C-STORE needs from a Part 10 file without parsing its data set: SOP class, SOP instance, transfer syntax
/// (from the meta group) and where the data set's bytes start, so they can be streamed to the peer as they are.
/// </summary>
/// <param name="FilePath">The file.</param>
/// <param name="SopClassUid">Media Storage SOP Class UID (0002,0002).</param>
/// <param name="SopInstanceUid">Media Storage SOP Instance UID (0002,0003).</param>
/// <param name="TransferSyntaxUid">Transfer Syntax UID (0002,0010).</param>
/// <param name="DataSetOffset">Byte offset of the first data set element.</param>
/// <param name="DataSetLength">Bytes from there to the end of the file.</param>
internal sealed record Part10Source(string FilePath, string SopClassUid, string SopInstanceUid, string TransferSyntaxUid, long DataSetOffset, long DataSetLength)
{
    /// <summary>Reads the meta group; throws <see cref="InvalidDataException"/> when the file is not a Part 10 file.</summary>
    public static Part10Source Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        Span<byte> preamble = stackalloc byte[132];
        if (stream.ReadAtLeast(preamble, 132, throwOnEndOfStream: false) < 132 || !preamble[128..].SequenceEqual("DICM"u8))
        {
            throw new InvalidDataException("not a DICOM Part 10 file (no DICM prefix)");
        }

        string? sopClass = null, sopInstance = null, syntax = null;
        Span<byte> header = stackalloc byte[12];
        while (true)
        {
            var position = stream.Position;
            if (stream.ReadAtLeast(header[..8], 8, throwOnEndOfStream: false) < 8 || BinaryPrimitives.ReadUInt16LittleEndian(header) != 0x0002)
            {
                stream.Position = position;
                break;
            }

            var element = BinaryPrimitives.ReadUInt16LittleEndian(header[2..]);
            var vr = Encoding.ASCII.GetString(header.Slice(4, 2));
            long length;
            if (vr is "OB" or "OW" or "OF" or "SQ" or "UT" or "UN")
            {
                stream.ReadExactly(header.Slice(8, 4));
                length = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
            }

            if (length > 1024 || stream.Position + length > stream.Length)
            {
                throw new InvalidDataException($"meta element (0002,{element:X4}) has an implausible length {length}");
            }

            var value = new byte[length];
            stream.ReadExactly(value);
            var text = Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');
            switch (element)
            {
                case 0x0002: sopClass = text; break;
                case 0x0003: sopInstance = text; break;
                case 0x0010: syntax = text; break;
                default: break;
            }
        }

        if (string.IsNullOrEmpty(sopClass) || string.IsNullOrEmpty(sopInstance) || string.IsNullOrEmpty(syntax))
        {
            throw new InvalidDataException("meta information lacks SOP class, SOP instance or transfer syntax");
        }

        return new Part10Source(path, sopClass, sopInstance, syntax, stream.Position, stream.Length - stream.Position);
    }
}
