using System.Buffers.Binary;
using System.Text;
using MiM.Bundles.Dicom.Network.Inbox;

namespace MiM.Bundles.Dicom.Network.Tests.Inbox;

/// <summary>Builds the data set bytes a storage SCP receives (implicit VR little endian) and stores them through an inbox.</summary>
internal static class ImplicitDataSet
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string ImplicitLittleEndian = "1.2.840.10008.1.2";

    /// <summary>SOP Class, SOP Instance, Study and Series Instance UIDs (any of them null to leave it out) and pixel bytes.</summary>
    public static byte[] Build(string? sop, string? study, string? series, byte[]? pixels = null)
    {
        using var buffer = new MemoryStream();
        Element(buffer, 0x0008, 0x0016, Uid(CtImageStorage));
        if (sop is not null)
        {
            Element(buffer, 0x0008, 0x0018, Uid(sop));
        }

        if (study is not null)
        {
            Element(buffer, 0x0020, 0x000D, Uid(study));
        }

        if (series is not null)
        {
            Element(buffer, 0x0020, 0x000E, Uid(series));
        }

        if (pixels is not null)
        {
            Element(buffer, 0x7FE0, 0x0010, pixels);
        }

        return buffer.ToArray();
    }

    /// <summary>Receives one instance through <paramref name="inbox"/> the way the SCP does (in two chunks) and commits it.</summary>
    public static async Task<StoreOutcome> StoreAsync(IInstanceStore inbox, byte[] dataSet, string sop, string callingAe = "SENDER")
    {
        await using var incoming = await inbox.BeginAsync(new IncomingInstanceInfo(CtImageStorage, sop, ImplicitLittleEndian, callingAe, "MIM"), default);
        await incoming.WriteAsync(dataSet.AsMemory(0, dataSet.Length / 2), default);
        await incoming.WriteAsync(dataSet.AsMemory(dataSet.Length / 2), default);
        return await incoming.CommitAsync(default);
    }

    /// <summary>Stores a data set built from a study/series/SOP triple.</summary>
    public static Task<StoreOutcome> StoreAsync(IInstanceStore inbox, string study, string series, string sop, byte[]? pixels = null, string callingAe = "SENDER")
        => StoreAsync(inbox, Build(sop, study, series, pixels ?? [1, 2, 3, 4]), sop, callingAe);

    private static byte[] Uid(string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        return bytes.Length % 2 == 0 ? bytes : [.. bytes, 0];
    }

    private static void Element(Stream stream, ushort group, ushort element, byte[] value)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)value.Length);
        stream.Write(header);
        stream.Write(value);
    }
}
