using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MiM.Bundles.Imaging.Nifti;

/// <summary>Converts voxel bytes between the file's byte order and this machine's, in place and in bulk.</summary>
internal static class NiftiByteOrder
{
    /// <summary>True when data stored with <paramref name="bigEndian"/> order must be swapped to be used here.</summary>
    public static bool NeedsSwap(bool bigEndian) => bigEndian == BitConverter.IsLittleEndian;

    /// <summary>Reverses the bytes of every voxel in <paramref name="data"/> (a whole number of voxels).</summary>
    public static void Swap(Span<byte> data, NiftiDataType type)
    {
        switch (NiftiDataTypes.SizeOf(type))
        {
            case 2:
                var shorts = MemoryMarshal.Cast<byte, ushort>(data);
                BinaryPrimitives.ReverseEndianness(shorts, shorts);
                break;
            case 4:
                var ints = MemoryMarshal.Cast<byte, uint>(data);
                BinaryPrimitives.ReverseEndianness(ints, ints);
                break;
            case 8:
                var longs = MemoryMarshal.Cast<byte, ulong>(data);
                BinaryPrimitives.ReverseEndianness(longs, longs);
                break;
            default:
                break; // Single bytes have no order.
        }
    }
}
