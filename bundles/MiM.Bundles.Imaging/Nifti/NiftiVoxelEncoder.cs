using System.Numerics;
using System.Runtime.CompilerServices;
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
            case NiftiDataType.Int16: RoundInto<short>(voxels, destination, type, RoundedInt16Prefix); break;
            case NiftiDataType.UInt16: RoundInto<ushort>(voxels, destination, type, RoundedUInt16Prefix); break;
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

    private static void RoundInto<T>(ReadOnlySpan<float> voxels, Span<byte> destination, NiftiDataType type, VectorPrefix<T>? vectorPrefix = null)
        where T : unmanaged, INumberBase<T>, IMinMaxValue<T>
    {
        var target = MemoryMarshal.Cast<byte, T>(destination);
        var min = double.CreateTruncating(T.MinValue);
        var max = double.CreateTruncating(T.MaxValue);

        // The vector prefix stops before the first block holding a voxel that does not fit, so the scalar loop below
        // reports that voxel's exact index.
        for (var n = vectorPrefix?.Invoke(voxels, target) ?? 0; n < voxels.Length; n++)
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

    // A CT written as int16 is ~52 M voxels; one Math.Round per voxel cost 0.26 s of `mim dicom to-nifti`'s 0.28 s
    // write (bench/README.md). Each returns how many voxels it wrote.
    private static int RoundedInt16Prefix(ReadOnlySpan<float> voxels, Span<short> target) =>
        RoundedPrefix(voxels, target, short.MinValue, short.MaxValue);

    // Narrowing keeps the low 16 bits, so a whole number in [0, 65535] lands as that ushort.
    private static int RoundedUInt16Prefix(ReadOnlySpan<float> voxels, Span<ushort> target) =>
        RoundedPrefix(voxels, MemoryMarshal.Cast<ushort, short>(target), ushort.MinValue, ushort.MaxValue);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int RoundedPrefix(ReadOnlySpan<float> voxels, Span<short> target, float lowest, float highest)
    {
        var (min, max) = (new Vector<float>(lowest), new Vector<float>(highest));
        var width = Vector<float>.Count;
        var n = 0;
        for (; n <= voxels.Length - (2 * width); n += 2 * width)
        {
            var low = RoundHalfAwayFromZero(new Vector<float>(voxels[n..]));
            var high = RoundHalfAwayFromZero(new Vector<float>(voxels[(n + width)..]));
            if (!(Fits(low, min, max) && Fits(high, min, max)))
            {
                break;
            }

            Vector.Narrow(Vector.ConvertToInt32(low), Vector.ConvertToInt32(high)).CopyTo(target[n..]);
        }

        return n;
    }

    // Exact in float: the fraction v - trunc(v) of a float is itself a float, so a half is recognised without the
    // double rounding that v + 0.5 would do (0.49999997f + 0.5f is 1 in float). NaN and infinities fail Fits.
    private static Vector<float> RoundHalfAwayFromZero(Vector<float> v)
    {
        var whole = Vector.Truncate(v);
        var away = Vector.ConditionalSelect(Vector.LessThan(v, Vector<float>.Zero), -Vector<float>.One, Vector<float>.One);
        var step = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(Vector.Abs(v - whole), new Vector<float>(0.5f)), away, Vector<float>.Zero);
        return whole + step;
    }

    private static bool Fits(Vector<float> rounded, Vector<float> min, Vector<float> max) =>
        Vector.GreaterThanOrEqualAll(rounded, min) && Vector.LessThanOrEqualAll(rounded, max);

    private delegate int VectorPrefix<T>(ReadOnlySpan<float> voxels, Span<T> target);
}
