namespace MiM.Bundles.Model.Data;

/// <summary>The level-1 crop of one training step.</summary>
/// <param name="Step">The training step it belongs to.</param>
/// <param name="SourcePath">The file it was cut from.</param>
/// <param name="Voxels">CropSize³ intensities in [0, 1], i fastest (i towards Right, j Anterior, k Superior).</param>
/// <param name="CropSize">Voxels per axis.</param>
public sealed record PretrainCrop(long Step, string SourcePath, float[] Voxels, int CropSize)
{
    /// <summary>Where the crop starts in the prepared (RAS, padded) volume.</summary>
    public (int I, int J, int K) Offset { get; init; }
}
