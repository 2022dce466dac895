using System.Buffers.Binary;
using System.Text;
using MiM.Bundles.Dicom.Core;

namespace MiM.Bundles.Dicom.IO;

/// <summary>
/// Writes Part 10 files in Explicit VR Little Endian. Sequences and items are written with undefined length and
/// delimiters: no lengths to precompute, and a nested edit never leaves a stale length behind. Group lengths
/// (gggg,0000) of the data set are dropped (retired; they would go stale), the meta group length is recomputed.
/// </summary>
internal static class DicomFileWriter
{
    /// <summary>This implementation's class UID, under the UUID-derived 2.25 root (fixed for the project).</summary>
    public const string ImplementationClassUid = "2.25.236312447557155719265689502918656282974";

    /// <summary>Implementation Version Name (0002,0013).</summary>
    public const string ImplementationVersionName = "MIMBUNDLES_010";

    public static void Write(Stream stream, DicomFile file)
    {
        var syntax = file.TransferSyntax.IsEncapsulated && file.Dataset.Any(e => e is DicomFragmentSequence)
            ? file.TransferSyntax
            : DicomTransferSyntax.ExplicitVrLittleEndian;
        if (file.Dataset.Any(e => e is DicomFragmentSequence) && !syntax.IsEncapsulated)
        {
            throw new DicomException("encapsulated pixel data needs an encapsulated transfer syntax", file.FilePath, DicomTag.PixelData, null);
        }

        WriteMeta(stream, BuildMeta(file, syntax));
        WriteDataset(stream, file.Dataset);
    }

    /// <summary>Writes the preamble, "DICM" and the meta group (its group length computed here).</summary>
    internal static void WriteMeta(Stream stream, DicomDataset meta)
    {
        var body = new MemoryStream();
        foreach (var element in meta)
        {
            WriteElement(body, element);
        }

        stream.Write(new byte[128]);
        stream.Write("DICM"u8);
        WriteElement(stream, new DicomValueElement(new DicomTag(0x0002, 0x0000), DicomVr.UL, UInt32((uint)body.Length)));
        body.Position = 0;
        body.CopyTo(stream);
    }

    /// <summary>The meta group this implementation writes for an instance.</summary>
    internal static DicomDataset Meta(string sopClass, string sopInstance, string transferSyntaxUid, string? sourceAe)
    {
        var meta = new DicomDataset()
            .SetBytes(new DicomTag(0x0002, 0x0001), DicomVr.OB, [0x00, 0x01])
            .SetStrings(DicomTag.MediaStorageSopClassUid, DicomVr.UI, sopClass)
            .SetStrings(DicomTag.MediaStorageSopInstanceUid, DicomVr.UI, sopInstance)
            .SetStrings(DicomTag.TransferSyntaxUid, DicomVr.UI, transferSyntaxUid)
            .SetStrings(new DicomTag(0x0002, 0x0012), DicomVr.UI, ImplementationClassUid)
            .SetStrings(new DicomTag(0x0002, 0x0013), DicomVr.SH, ImplementationVersionName);
        if (!string.IsNullOrEmpty(sourceAe))
        {
            meta.SetStrings(new DicomTag(0x0002, 0x0016), DicomVr.AE, sourceAe);
        }

        return meta;
    }

    internal static void WriteDataset(Stream stream, DicomDataset dataset)
    {
        foreach (var element in dataset)
        {
            if (element.Tag.IsGroupLength || element.Tag.Group == 0x0002)
            {
                continue;
            }

            WriteElement(stream, element);
        }
    }

    private static DicomDataset BuildMeta(DicomFile file, DicomTransferSyntax syntax)
    {
        var data = file.Dataset;
        var sopClass = data.GetUid(DicomTag.SopClassUid) ?? file.Meta.GetUid(DicomTag.MediaStorageSopClassUid);
        var sopInstance = data.GetUid(DicomTag.SopInstanceUid) ?? file.Meta.GetUid(DicomTag.MediaStorageSopInstanceUid);
        if (string.IsNullOrEmpty(sopClass) || string.IsNullOrEmpty(sopInstance))
        {
            throw new DicomException("cannot write file meta information without SOP Class UID and SOP Instance UID", file.FilePath, DicomTag.SopInstanceUid, null);
        }

        var meta = Meta(sopClass, sopInstance, syntax.Uid, null);

        // Keep who sent it, when known.
        var sourceAe = new DicomTag(0x0002, 0x0016);
        if (file.Meta[sourceAe] is { } ae)
        {
            meta.Set(ae);
        }

        return meta;
    }

    private static void WriteElement(Stream stream, DicomElement element)
    {
        switch (element)
        {
            case DicomSequence sequence:
                WriteHeader(stream, element.Tag, DicomVr.SQ, 0xFFFFFFFF);
                foreach (var item in sequence.Items)
                {
                    WriteTag(stream, DicomTag.Item, 0xFFFFFFFF);
                    WriteDataset(stream, item);
                    WriteTag(stream, DicomTag.ItemDelimitationItem, 0);
                }

                WriteTag(stream, DicomTag.SequenceDelimitationItem, 0);
                break;
            case DicomFragmentSequence fragments:
                WriteHeader(stream, element.Tag, element.Vr == DicomVr.OW ? DicomVr.OW : DicomVr.OB, 0xFFFFFFFF);
                WriteItem(stream, fragments.OffsetTable.GetBytes());
                foreach (var fragment in fragments.Fragments)
                {
                    WriteItem(stream, fragment.GetBytes());
                }

                WriteTag(stream, DicomTag.SequenceDelimitationItem, 0);
                break;
            case DicomValueElement value:
                var bytes = value.Buffer.GetBytes();
                var padded = bytes.Length % 2 == 1;
                var length = (long)bytes.Length + (padded ? 1 : 0);
                if (!DicomVrInfo.HasLongLength(value.Vr) && length > ushort.MaxValue)
                {
                    throw new DicomException($"a {value.Vr} value of {length} bytes does not fit explicit VR's 16-bit length", null, value.Tag, null);
                }

                WriteHeader(stream, value.Tag, value.Vr, checked((uint)length));
                stream.Write(bytes);
                if (padded)
                {
                    stream.WriteByte(DicomVrInfo.PaddingByte(value.Vr));
                }

                break;
            default:
                throw new DicomException($"cannot write element of type {element.GetType().Name}", null, element.Tag, null);
        }
    }

    private static void WriteItem(Stream stream, byte[] bytes)
    {
        // Fragments are even by the standard; pad defensively so the next item header stays aligned.
        var padded = bytes.Length % 2 == 1;
        WriteTag(stream, DicomTag.Item, (uint)(bytes.Length + (padded ? 1 : 0)));
        stream.Write(bytes);
        if (padded)
        {
            stream.WriteByte(0);
        }
    }

    private static void WriteHeader(Stream stream, DicomTag tag, DicomVr vr, uint length)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], tag.Element);
        Encoding.ASCII.GetBytes(vr.ToString(), header[4..6]);
        if (DicomVrInfo.HasLongLength(vr))
        {
            header[6] = header[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], length);
            stream.Write(header);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)length);
            stream.Write(header[..8]);
        }
    }

    private static void WriteTag(Stream stream, DicomTag tag, uint length)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], length);
        stream.Write(header);
    }

    private static byte[] UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }
}
