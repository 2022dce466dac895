using System.Numerics;
using System.Runtime.InteropServices;
using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Nifti;

/// <summary>Turns the stored voxel bytes into scaled floats or label values, a whole buffer at a time.</summary>
internal static class NiftiVoxelDecoder
{
    /// <summary>Decodes <paramref name="data"/> (swapped in place if the file's byte order differs) into scaled floats.</summary>
    public static float[] DecodeVolume(Span<byte> data, NiftiDataType type, bool bigEndian, NiftiScaling scaling)
    {
        var count = data.Length / NiftiDataTypes.SizeOf(type);
        var voxels = new float[count];
        if (NiftiByteOrder.NeedsSwap(bigEndian))
        {
            NiftiByteOrder.Swap(data, type);
        }

        switch (type)
        {
            case NiftiDataType.UInt8: ToFloat<byte>(data, voxels, scaling); break;
            case NiftiDataType.Int16: ToFloat<short>(data, voxels, scaling); break;
            case NiftiDataType.UInt16: ToFloat<ushort>(data, voxels, scaling); break;
            case NiftiDataType.Int32: ToFloat<int>(data, voxels, scaling); break;
            case NiftiDataType.Float32: ToFloat<float>(data, voxels, scaling); break;
            case NiftiDataType.Float64: ToFloat<double>(data, voxels, scaling); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "Not a supported NIfTI data type.");
        }

        return voxels;
    }

    /// <summary>Decodes <paramref name="data"/> into labels; every scaled value must be a whole number 0..65535.</summary>
    /// <exception cref="NiftiFormatException">A voxel is not a valid label; the message names the voxel and value.</exception>
    public static ushort[] DecodeLabels(Span<byte> data, NiftiDataType type, bool bigEndian, NiftiScaling scaling, GridSize size, string path)
    {
        var labels = new ushort[data.Length / NiftiDataTypes.SizeOf(type)];
        if (NiftiByteOrder.NeedsSwap(bigEndian))
        {
            NiftiByteOrder.Swap(data, type);
        }

        var bad = type switch
        {
            NiftiDataType.UInt8 => ToLabels<byte>(data, labels, scaling),
            NiftiDataType.Int16 => ToLabels<short>(data, labels, scaling),
            NiftiDataType.UInt16 => ToLabels<ushort>(data, labels, scaling),
            NiftiDataType.Int32 => ToLabels<int>(data, labels, scaling),
            NiftiDataType.Float32 => ToLabels<float>(data, labels, scaling),
            NiftiDataType.Float64 => ToLabels<double>(data, labels, scaling),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a supported NIfTI data type."),
        };
        if (bad is { } at)
        {
            var i = at.Index % size.I;
            var j = at.Index / size.I % size.J;
            var k = at.Index / ((long)size.I * size.J);
            throw new NiftiFormatException(
                path, $"not a label map: voxel ({i}, {j}, {k}) holds {at.Value}, but labels must be whole numbers from 0 to 65535");
        }

        return labels;
    }

    private static void ToFloat<T>(Span<byte> data, Span<float> voxels, NiftiScaling scaling)
        where T : unmanaged, INumberBase<T>
    {
        ReadOnlySpan<T> stored = MemoryMarshal.Cast<byte, T>(data);
        if (scaling.IsIdentity)
        {
            for (var n = 0; n < stored.Length; n++)
            {
                voxels[n] = float.CreateTruncating(stored[n]);
            }

            return;
        }

        for (var n = 0; n < stored.Length; n++)
        {
            voxels[n] = (float)scaling.Apply(double.CreateTruncating(stored[n]));
        }
    }

    private static (long Index, double Value)? ToLabels<T>(Span<byte> data, Span<ushort> labels, NiftiScaling scaling)
        where T : unmanaged, INumberBase<T>
    {
        ReadOnlySpan<T> stored = MemoryMarshal.Cast<byte, T>(data);
        for (var n = 0; n < stored.Length; n++)
        {
            var value = scaling.Apply(double.CreateTruncating(stored[n]));
            if (!(value >= 0 && value <= ushort.MaxValue && value == Math.Floor(value)))
            {
                return (n, value);
            }

            labels[n] = (ushort)value;
        }

        return null;
    }
}
