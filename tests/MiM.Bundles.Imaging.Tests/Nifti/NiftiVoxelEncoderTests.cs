using System.Runtime.InteropServices;
using MiM.Bundles.Imaging.Nifti;

namespace MiM.Bundles.Imaging.Tests.Nifti;

public class NiftiVoxelEncoderTests
{
    // Values where rounding is easy to get wrong: halves both ways, the float just below a half (0.49999997f + 0.5f
    // is 1 in float arithmetic), whole numbers, the ends of the int16 range and fractions next to them.
    private static readonly float[] Awkward =
    [
        0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 0.49999997f, -0.49999997f, 0f, -0f, 1f, -1f, 7.6f, -7.6f,
        32767f, -32768f, 32767.4f, -32768.4f, 32766.5f, -32767.5f, 1023.5f, -1023.5f,
    ];

    [Theory]
    [InlineData(NiftiDataType.Int16)]
    [InlineData(NiftiDataType.UInt16)]
    public void Rounding_matches_math_round_half_away_from_zero_in_the_vector_body_and_the_tail(NiftiDataType type)
    {
        // 1000 random values in range, the awkward ones scattered through, and a length no vector width divides.
        var random = new Random(15);
        var (low, high) = type == NiftiDataType.Int16 ? (-32768.4, 32767.4) : (-0.4, 65535.4);
        var voxels = new float[1013];
        for (var n = 0; n < voxels.Length; n++)
        {
            voxels[n] = (float)(low + (random.NextDouble() * (high - low)));
        }

        var awkward = type == NiftiDataType.Int16 ? Awkward : [.. Awkward.Where(v => v > -0.5f && v < 65535.5f)];
        for (var k = 0; k < awkward.Length; k++)
        {
            voxels[(k * 41) + 3] = awkward[k];
            voxels[^(k + 1)] = awkward[k];
        }

        var bytes = new byte[voxels.Length * 2];
        NiftiVoxelEncoder.Encode(voxels, type, bigEndian: false, bytes);

        for (var n = 0; n < voxels.Length; n++)
        {
            var expected = Math.Round((double)voxels[n], MidpointRounding.AwayFromZero);
            double actual = type == NiftiDataType.Int16 ? MemoryMarshal.Cast<byte, short>(bytes)[n] : MemoryMarshal.Cast<byte, ushort>(bytes)[n];
            Assert.True(expected == actual, $"voxel {n}: {voxels[n]:R} became {actual}, expected {expected}");
        }
    }

    [Theory]
    [InlineData(NiftiDataType.Int16, 32767.5f)]
    [InlineData(NiftiDataType.Int16, -32768.5f)]
    [InlineData(NiftiDataType.Int16, float.NaN)]
    [InlineData(NiftiDataType.Int16, float.PositiveInfinity)]
    [InlineData(NiftiDataType.UInt16, -0.5f)]
    [InlineData(NiftiDataType.UInt16, 65535.5f)]
    [InlineData(NiftiDataType.UInt16, float.NegativeInfinity)]
    public void A_value_out_of_range_anywhere_is_refused_with_its_own_index(NiftiDataType type, float value)
    {
        // Positions in either half of a two-vector block for 8- and 16-float vectors, and in the scalar tail.
        foreach (var position in new[] { 0, 517, 521, 530, 999 })
        {
            var voxels = new float[1000];
            voxels[position] = value;

            var error = Assert.Throws<ArgumentException>(() => NiftiVoxelEncoder.Encode(voxels, type, bigEndian: false, new byte[voxels.Length * 2]));

            Assert.Contains($"Voxel {position} (linear index)", error.Message, StringComparison.Ordinal);
        }
    }
}
