using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>
/// The fixed 3D sin-cos position embedding of the encoder and the decoder (MIM_SPEC.md section 4): for the token
/// at grid position (a, b, c) the embedding is [E(a) | E(b) | E(c)], where E uses D/3 channels,
/// E(p) = [sin(p·ω_k)]_k ++ [cos(p·ω_k)]_k and ω_k = 10000^(−k/(D/6)), k &lt; D/6.
/// </summary>
public static class SinCosPositionEmbedding
{
    /// <summary>The embedding of a G³ token grid, shape [1, G³, dim], float32, token index a·G² + b·G + c.</summary>
    /// <param name="dim">Embedding width; must be a positive multiple of 6 (sin and cos for each of three axes).</param>
    /// <param name="grid">Tokens per axis, G.</param>
    public static Tensor Create3D(int dim, int grid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(grid);
        if (dim % 6 != 0)
        {
            throw new ArgumentException($"The 3D sin-cos embedding needs a width divisible by 6, was {dim}.", nameof(dim));
        }

        var axisDim = dim / 3;
        var frequencies = axisDim / 2;
        var omega = new double[frequencies];
        for (var k = 0; k < frequencies; k++)
        {
            omega[k] = Math.Pow(10000.0, -(double)k / frequencies);
        }

        var tokens = grid * grid * grid;
        var values = new float[tokens * dim];
        for (var t = 0; t < tokens; t++)
        {
            Span<int> position = [t / (grid * grid), t / grid % grid, t % grid];
            for (var axis = 0; axis < 3; axis++)
            {
                var offset = (t * dim) + (axis * axisDim);
                for (var k = 0; k < frequencies; k++)
                {
                    var angle = position[axis] * omega[k];
                    values[offset + k] = (float)Math.Sin(angle);
                    values[offset + frequencies + k] = (float)Math.Cos(angle);
                }
            }
        }

        return tensor(values, [1, tokens, dim], ScalarType.Float32);
    }
}
