namespace MiM.Bundles.Contracts.Imaging;

/// <summary>Voxel counts along the volume's three index axes (i = columns, j = rows, k = slices).</summary>
public readonly record struct GridSize(int I, int J, int K)
{
    /// <summary>The number of voxels in the grid.</summary>
    public long VoxelCount => (long)I * J * K;

    /// <summary>The count along axis 0 (i), 1 (j) or 2 (k).</summary>
    public int this[int axis] => axis switch
    {
        0 => I,
        1 => J,
        2 => K,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "Axis must be 0, 1 or 2."),
    };

    /// <summary>The linear buffer offset of voxel (i, j, k); i varies fastest, as in NIfTI and DICOM.</summary>
    public long Offset(int i, int j, int k) => i + ((long)I * (j + ((long)J * k)));

    /// <inheritdoc/>
    public override string ToString() => $"{I}x{J}x{K}";
}
