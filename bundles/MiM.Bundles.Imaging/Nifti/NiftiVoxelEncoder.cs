using System.Numerics;
using System.Runtime.InteropServices;

namespace MiM.Bundles.Imaging.Nifti;

/// <summary>
/// Turns voxel buffers into stored bytes. Floats written as an integer type are rounded to the nearest whole number
/// (halves away from zero); a value that does not fit the type (or NaN) is an error, not silently clamped or rescaled.
/// </summary>
internal static class NiftiVoxelEncoder
{
    /// <summary>Encodes float voxels as <paramref name="type"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">A voxel value cannot be represented in <paramref name="type"/>.</exception>
    public static void Encode(ReadOnlySpan<float> voxels, NiftiDataType type, bool bigEndian, Span<byte> destination)
    {
        switch (type)
        {
            case NiftiDataType.Float32: MemoryMarshal.AsBytes(voxels).CopyTo(destination); break;
            case NiftiDataType.Float64: Widen(voxels, MemoryMarshal.Cast<byte, double>(destination)); break;
            case NiftiDataType.UInt8: RoundInto<byte>(voxels, destination, type); break;
            case NiftiDataType.Int16: RoundInto<short>(voxels, destination, type); break;
            case NiftiDataType.UInt16: RoundInto<ushort>(voxels, destination, type); break;
            case NiftiDataType.Int32: RoundInto<int>(voxels, destination, type); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "Not a supported NIfTI data type.");
        }

        FixByteOrder(destination, type, bigEndian);
    }

    /// <summary>Encodes labels as <see cref="NiftiDataType.UInt8"/> (all must fit) or <see cref="NiftiDataType.UInt16"/>.</summary>
    public static void Encode(ReadOnlySpan<ushort> labels, NiftiDataType type, bool bigEndian, Span<byte> destination)
    {
        switch (type)
        {
            case NiftiDataType.UInt16:
                MemoryMarshal.AsBytes(labels).CopyTo(destination);
                break;
            case NiftiDataType.UInt8:
                for (var n = 0; n < labels.Length; n++)
                {
                    destination[n] = checked((byte)labels[n]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Labels are written as UInt8 or UInt16.");
        }

        FixByteOrder(destination, type, bigEndian);
    }

    private static void FixByteOrder(Span<byte> destination, NiftiDataType type, bool bigEndian)
    {
        if (NiftiByteOrder.NeedsSwap(bigEndian))
        {
            NiftiByteOrder.Swap(destination, type);
        }
    }

    private static void Widen(ReadOnlySpan<float> voxels, Span<double> destination)
    {
        for (var n = 0; n < voxels.Length; n++)
        {
            destination[n] = voxels[n];
        }
    }

    private static void RoundInto<T>(ReadOnlySpan<float> voxels, Span<byte> destination, NiftiDataType type)
        where T : unmanaged, INumberBase<T>, IMinMaxValue<T>
    {
        var target = MemoryMarshal.Cast<byte, T>(destination);
        var min = double.CreateTruncating(T.MinValue);
        var max = double.CreateTruncating(T.MaxValue);
        for (var n = 0; n < voxels.Length; n++)
        {
            var rounded = Math.Round((double)voxels[n], MidpointRounding.AwayFromZero);
            if (!(rounded >= min && rounded <= max))
            {
                throw new ArgumentException(
                    $"Voxel {n} (linear index) holds {voxels[n]}, which does not fit NIfTI {type} ({min} to {max}); write as Float32 or rescale first.",
                    nameof(voxels));
            }

            target[n] = T.CreateTruncating(rounded);
        }
    }
}
