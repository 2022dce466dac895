namespace MiM.Bundles.Model.Data;

/// <summary>A volume ready for cropping: RAS, intensities in [0, 1], every axis at least the crop size.</summary>
/// <param name="Voxels">The intensities, i fastest (i towards Right, j Anterior, k Superior).</param>
/// <param name="SizeI">Voxels along i.</param>
/// <param name="SizeJ">Voxels along j.</param>
/// <param name="SizeK">Voxels along k.</param>
public sealed record PreparedVolume(float[] Voxels, int SizeI, int SizeJ, int SizeK)
{
    /// <summary>The memory the voxels take, for the loader's cache budget.</summary>
    public long ByteCount => Voxels.LongLength * sizeof(float);

    /// <summary>The count along axis 0 (i), 1 (j) or 2 (k).</summary>
    public int SizeOf(int axis) => axis switch
    {
        0 => SizeI,
        1 => SizeJ,
        2 => SizeK,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "Axis must be 0, 1 or 2."),
    };
}
