using MiM.Bundles.Cli.Commands;
using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Host.Tests.Cli;

/// <summary>`mim dicom to-nifti` writes int16 only when every voxel is a whole number within int16, wherever it lies.</summary>
public class DicomToNiftiTypeTests
{
    // 7x5x3 = 105 voxels: not a multiple of any vector width, so both the vector loop and the scalar tail are tested.
    private static readonly VolumeGeometry Grid = new(new GridSize(7, 5, 3), new Vector3D(0, 0, 0), new Vector3D(1, 1, 1), Direction3D.Identity);

    [Fact]
    public void Whole_values_at_both_ends_of_int16_fit()
    {
        var volume = Volume.Zeros(Grid);
        for (var p = 0; p < volume.Voxels.Length; p++)
        {
            volume.Voxels[p] = (p % 3) switch { 0 => short.MinValue, 1 => short.MaxValue, _ => p - 1024 };
        }

        Assert.True(DicomToNiftiCommand.FitsInt16(volume));
    }

    [Theory]
    [InlineData(0, 0.5f)]
    [InlineData(40, -1024.25f)]
    [InlineData(104, 3.5f)]
    [InlineData(3, 32768f)]
    [InlineData(103, -32769f)]
    [InlineData(50, float.NaN)]
    [InlineData(104, float.PositiveInfinity)]
    public void One_fractional_out_of_range_or_nan_voxel_anywhere_needs_float32(int index, float value)
    {
        var volume = Volume.Zeros(Grid);
        volume.Voxels[index] = value;

        Assert.False(DicomToNiftiCommand.FitsInt16(volume));
    }
}
