namespace MiM.Bundles.Model.Masking;

/// <summary>
/// A cube of the level-1 crop, in voxels of the crop at native resolution along tensor dims 2, 3 and 4.
/// </summary>
/// <param name="Start2">First voxel along dim 2.</param>
/// <param name="Start3">First voxel along dim 3.</param>
/// <param name="Start4">First voxel along dim 4.</param>
/// <param name="Size">Edge length in voxels.</param>
public readonly record struct CropRegion(int Start2, int Start3, int Start4, int Size);
