using System.Buffers.Binary;
using System.Text;

namespace MiM.Bundles.Dicom.Network.Tests.Peers;

/// <summary>
/// A Part 10 file with a valid meta group and a data set of zero bytes of any size: enough for our SCU, which sends a
/// data set as it is without parsing it. For tests that need many bytes on the wire, not a meaningful image.
/// </summary>
internal static class LargePart10File
{
    public static string Write(string folder, string sopInstanceUid, long dataSetBytes)
    {
        var path = Path.Combine(folder, sopInstanceUid + ".dcm");
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        Element(file, 0x0002, "UI", TestInstances.CtImageStorage);
        Element(file, 0x0003, "UI", sopInstanceUid);
        Element(file, 0x0010, "UI", "1.2.840.10008.1.2.1");
        file.SetLength(file.Position + dataSetBytes);
        return path;
    }

    private static void Element(Stream stream, ushort element, string vr, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value.Length % 2 == 0 ? value : value + "\0");
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
        Encoding.ASCII.GetBytes(vr, header[4..6]);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)bytes.Length);
        stream.Write(header);
        stream.Write(bytes);
    }
}
