using System.Buffers.Binary;

namespace MiM.Bundles.Dicom.Network.Inbox;

/// <summary>
/// Compares the data sets of two Part 10 files byte for byte, skipping preamble and meta group (the meta group names
/// the sender, which differs between two senders of the same instance).
/// </summary>
internal static class DataSetComparison
{
    private const int MetaGroupLengthValueOffset = 128 + 4 + 8; // preamble, "DICM", (0002,0000) tag + "UL" + length

    /// <summary>True when both files hold the same data set bytes; false when they differ or either cannot be read as Part 10.</summary>
    public static bool SameDataSet(string first, string second)
    {
        using var a = File.OpenRead(first);
        using var b = File.OpenRead(second);
        if (!SeekToDataSet(a) || !SeekToDataSet(b) || a.Length - a.Position != b.Length - b.Position)
        {
            return false;
        }

        var bufferA = new byte[1 << 16];
        var bufferB = new byte[1 << 16];
        while (true)
        {
            var read = a.ReadAtLeast(bufferA, bufferA.Length, throwOnEndOfStream: false);
            b.ReadExactly(bufferB, 0, read);
            if (!bufferA.AsSpan(0, read).SequenceEqual(bufferB.AsSpan(0, read)))
            {
                return false;
            }

            if (read < bufferA.Length)
            {
                return true;
            }
        }
    }

    private static bool SeekToDataSet(FileStream stream)
    {
        Span<byte> length = stackalloc byte[4];
        if (stream.Length < MetaGroupLengthValueOffset + 4)
        {
            return false;
        }

        stream.Position = MetaGroupLengthValueOffset;
        stream.ReadExactly(length);
        var start = MetaGroupLengthValueOffset + 4L + BinaryPrimitives.ReadUInt32LittleEndian(length);
        if (start > stream.Length)
        {
            return false;
        }

        stream.Position = start;
        return true;
    }
}
