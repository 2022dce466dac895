using static TorchSharp.torch;

namespace MiM.Bundles.Model.Inference;

/// <summary>
/// A volume's encoder features: one vector per 16³-voxel token over the whole (RAS-oriented, padded) volume,
/// and their mean over the tokens that hold image voxels — the volume's embedding.
/// </summary>
/// <param name="TokenGrid">[D, Gi, Gj, Gk] features, token (a, b, c) covering RAS voxels [16a, 16a+16) × …</param>
/// <param name="Embedding">[D] mean of the tokens that overlap the image (padding-only tokens left out).</param>
/// <param name="Tiles">How many S³ windows were encoded.</param>
public sealed record EncoderFeatures(Tensor TokenGrid, Tensor Embedding, int Tiles) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        TokenGrid.Dispose();
        Embedding.Dispose();
    }
}
