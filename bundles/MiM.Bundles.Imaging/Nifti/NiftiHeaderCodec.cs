using System.Buffers.Binary;
using System.Text;

namespace MiM.Bundles.Imaging.Nifti;

/// <summary>Converts the 348-byte NIfTI-1 header to and from <see cref="NiftiHeader"/>, in either byte order.</summary>
internal static class NiftiHeaderCodec
{
    // Byte offsets fixed by nifti1.h.
    private const int DimOffset = 40;
    private const int DataTypeOffset = 70;
    private const int BitPixOffset = 72;
    private const int PixDimOffset = 76;
    private const int VoxOffsetOffset = 108;
    private const int SclSlopeOffset = 112;
    private const int SclInterOffset = 116;
    private const int XyztUnitsOffset = 123;
    private const int DescripOffset = 148;
    private const int DescripLength = 80;
    private const int QformCodeOffset = 252;
    private const int SformCodeOffset = 254;
    private const int QuaternOffset = 256;
    private const int SRowOffset = 280;
    private const int MagicOffset = 344;

    /// <summary>Decodes a header, detecting the byte order from sizeof_hdr.</summary>
    /// <exception cref="NiftiFormatException">Too few bytes, or sizeof_hdr is not 348 in either byte order.</exception>
    public static NiftiHeader Decode(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length < NiftiHeader.HeaderSize)
        {
            throw new NiftiFormatException(
                path, $"truncated header: {bytes.Length} bytes, but a NIfTI-1 header needs {NiftiHeader.HeaderSize}");
        }

        var sizeLittle = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var sizeBig = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (sizeLittle != NiftiHeader.HeaderSize && sizeBig != NiftiHeader.HeaderSize)
        {
            var hint = sizeLittle == 540 || sizeBig == 540 ? " (this looks like NIfTI-2, which is not supported)" : string.Empty;
            throw new NiftiFormatException(
                path, $"not a NIfTI-1 file: sizeof_hdr is {sizeLittle}, expected {NiftiHeader.HeaderSize}{hint}");
        }

        var reader = new FieldReader(bytes, bigEndian: sizeLittle != NiftiHeader.HeaderSize);
        var header = new NiftiHeader
        {
            IsBigEndian = reader.BigEndian,
            DataTypeCode = reader.Int16(DataTypeOffset),
            BitPix = reader.Int16(BitPixOffset),
            VoxOffset = reader.Single(VoxOffsetOffset),
            SclSlope = reader.Single(SclSlopeOffset),
            SclInter = reader.Single(SclInterOffset),
            XyztUnits = bytes[XyztUnitsOffset],
            Description = ReadAscii(bytes.Slice(DescripOffset, DescripLength)),
            QformCode = reader.Int16(QformCodeOffset),
            SformCode = reader.Int16(SformCodeOffset),
            QuaternB = reader.Single(QuaternOffset),
            QuaternC = reader.Single(QuaternOffset + 4),
            QuaternD = reader.Single(QuaternOffset + 8),
            QOffsetX = reader.Single(QuaternOffset + 12),
            QOffsetY = reader.Single(QuaternOffset + 16),
            QOffsetZ = reader.Single(QuaternOffset + 20),
            Magic = ReadAscii(bytes.Slice(MagicOffset, 4)),
        };
        for (var n = 0; n < 8; n++)
        {
            header.Dim[n] = reader.Int16(DimOffset + (2 * n));
            header.PixDim[n] = reader.Single(PixDimOffset + (4 * n));
        }

        for (var n = 0; n < 4; n++)
        {
            header.SRowX[n] = reader.Single(SRowOffset + (4 * n));
            header.SRowY[n] = reader.Single(SRowOffset + 16 + (4 * n));
            header.SRowZ[n] = reader.Single(SRowOffset + 32 + (4 * n));
        }

        return header;
    }

    /// <summary>
    /// Encodes <paramref name="header"/> into the first 352 bytes of <paramref name="destination"/>:
    /// the header followed by four zero extension bytes (no extensions). Fields this project does not
    /// model are written as zero.
    /// </summary>
    public static void Encode(NiftiHeader header, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(header);
        var target = destination[..NiftiHeader.MinimumSingleFileVoxOffset];
        target.Clear();
        var writer = new FieldWriter(target, header.IsBigEndian);
        writer.Int32(0, NiftiHeader.HeaderSize);
        target[38] = (byte)'r'; // "regular", kept for Analyze-era readers
        for (var n = 0; n < 8; n++)
        {
            writer.Int16(DimOffset + (2 * n), header.Dim[n]);
            writer.Single(PixDimOffset + (4 * n), header.PixDim[n]);
        }

        writer.Int16(DataTypeOffset, header.DataTypeCode);
        writer.Int16(BitPixOffset, header.BitPix);
        writer.Single(VoxOffsetOffset, header.VoxOffset);
        writer.Single(SclSlopeOffset, header.SclSlope);
        writer.Single(SclInterOffset, header.SclInter);
        target[XyztUnitsOffset] = header.XyztUnits;
        WriteAscii(header.Description, target.Slice(DescripOffset, DescripLength - 1));
        writer.Int16(QformCodeOffset, header.QformCode);
        writer.Int16(SformCodeOffset, header.SformCode);
        writer.Single(QuaternOffset, header.QuaternB);
        writer.Single(QuaternOffset + 4, header.QuaternC);
        writer.Single(QuaternOffset + 8, header.QuaternD);
        writer.Single(QuaternOffset + 12, header.QOffsetX);
        writer.Single(QuaternOffset + 16, header.QOffsetY);
        writer.Single(QuaternOffset + 20, header.QOffsetZ);
        for (var n = 0; n < 4; n++)
        {
            writer.Single(SRowOffset + (4 * n), header.SRowX[n]);
            writer.Single(SRowOffset + 16 + (4 * n), header.SRowY[n]);
            writer.Single(SRowOffset + 32 + (4 * n), header.SRowZ[n]);
        }

        WriteAscii(header.Magic, target.Slice(MagicOffset, 3));
    }

    private static string ReadAscii(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
    }

    private static void WriteAscii(string text, Span<byte> field)
    {
        // Non-ASCII characters become '?'; overlong text is cut so the field keeps its terminating NUL.
        var bytes = Encoding.ASCII.GetBytes(text);
        bytes.AsSpan(0, Math.Min(bytes.Length, field.Length)).CopyTo(field);
    }

    private readonly ref struct FieldReader(ReadOnlySpan<byte> bytes, bool bigEndian)
    {
        private readonly ReadOnlySpan<byte> bytes = bytes;

        public bool BigEndian { get; } = bigEndian;

        public short Int16(int offset) => BigEndian
            ? BinaryPrimitives.ReadInt16BigEndian(bytes[offset..])
            : BinaryPrimitives.ReadInt16LittleEndian(bytes[offset..]);

        public float Single(int offset) => BigEndian
            ? BinaryPrimitives.ReadSingleBigEndian(bytes[offset..])
            : BinaryPrimitives.ReadSingleLittleEndian(bytes[offset..]);
    }

    private readonly ref struct FieldWriter(Span<byte> bytes, bool bigEndian)
    {
        private readonly Span<byte> bytes = bytes;

        public void Int32(int offset, int value)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteInt32BigEndian(bytes[offset..], value);
            }
            else
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes[offset..], value);
            }
        }

        public void Int16(int offset, short value)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteInt16BigEndian(bytes[offset..], value);
            }
            else
            {
                BinaryPrimitives.WriteInt16LittleEndian(bytes[offset..], value);
            }
        }

        public void Single(int offset, float value)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteSingleBigEndian(bytes[offset..], value);
            }
            else
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes[offset..], value);
            }
        }
    }
}
