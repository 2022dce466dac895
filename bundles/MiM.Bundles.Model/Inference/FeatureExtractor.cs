using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Data;
using MiM.Bundles.Model.Networks;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Inference;

/// <summary>
/// Embeds a CT volume with a pre-trained MiM encoder: the volume is prepared as for pre-training (RAS, HU window,
/// zero padding), cut into non-overlapping S³ windows, and every window is encoded with all tokens visible.
/// </summary>
public sealed class FeatureExtractor(MimPretrainNetwork network)
{
    /// <summary>The features of <paramref name="volume"/>.</summary>
    public EncoderFeatures Extract(Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var size = network.Config.InputSize;
        var token = MimNetworkConfig.TokenSize;
        var prepared = CtPreprocessor.Prepare(volume, size);
        var tiles = new[] { Tiles(prepared.SizeI, size), Tiles(prepared.SizeJ, size), Tiles(prepared.SizeK, size) };
        var g = network.Config.GridSize;
        var device = network.parameters().First().device;
        network.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();

        // [k, j, i] buffer → [i, j, k], then zero-pad the high end of each axis to whole windows.
        var ijk = tensor(prepared.Voxels, [prepared.SizeK, prepared.SizeJ, prepared.SizeI]).permute(2, 1, 0);
        var padded = nn.functional.pad(
            ijk,
            [0, (tiles[2] * size) - prepared.SizeK, 0, (tiles[1] * size) - prepared.SizeJ, 0, (tiles[0] * size) - prepared.SizeI]);
        var grid = zeros(network.Config.EmbedDims[3], tiles[0] * g, tiles[1] * g, tiles[2] * g);
        for (var a = 0; a < tiles[0]; a++)
        {
            for (var b = 0; b < tiles[1]; b++)
            {
                for (var c = 0; c < tiles[2]; c++)
                {
                    using var window = padded[
                        TensorIndex.Slice(a * size, (a + 1) * size),
                        TensorIndex.Slice(b * size, (b + 1) * size),
                        TensorIndex.Slice(c * size, (c + 1) * size)].contiguous().reshape(1, 1, size, size, size).to(device);
                    using var tokens = network.EncodeAllTokens(window);
                    using var cube = tokens[0].reshape(g, g, g, -1).permute(3, 0, 1, 2).cpu();
                    grid[.., TensorIndex.Slice(a * g, (a + 1) * g), TensorIndex.Slice(b * g, (b + 1) * g), TensorIndex.Slice(c * g, (c + 1) * g)] = cube;
                }
            }
        }

        var covered = grid[
            .., TensorIndex.Slice(0, Ceil(prepared.SizeI, token)), TensorIndex.Slice(0, Ceil(prepared.SizeJ, token)),
            TensorIndex.Slice(0, Ceil(prepared.SizeK, token))];
        var embedding = covered.reshape(covered.shape[0], -1).mean([1]);
        return new EncoderFeatures(grid.MoveToOuterDisposeScope(), embedding.MoveToOuterDisposeScope(), tiles[0] * tiles[1] * tiles[2]);
    }

    private static int Tiles(int length, int window) => Ceil(length, window);

    private static int Ceil(int length, int unit) => (length + unit - 1) / unit;
}
