using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>
/// Cuts volumes into the decoder's per-token targets and back. Tokens are ordered (h, w, d) row-major over the
/// volume dims (2, 3, 4); inside a token the values are ordered (p, q, z, c): voxel offsets row-major over the
/// same dims, channels innermost — the authors' <c>patchify</c> order, so predictions interchange with theirs.
/// </summary>
public static class Patchify
{
    /// <summary>[N, C, H, W, D] → [N, (H/s)(W/s)(D/s), s³·C], with s = <paramref name="tokenSize"/>.</summary>
    /// <param name="volumes">Volumes whose spatial sizes are multiples of the token size.</param>
    /// <param name="tokenSize">Voxels per token along each axis.</param>
    public static Tensor ToTokens(Tensor volumes, int tokenSize = 16)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokenSize);
        if (volumes.dim() != 5)
        {
            throw new ArgumentException($"Expected volumes [N,C,H,W,D], got [{string.Join(",", volumes.shape)}].", nameof(volumes));
        }

        var (n, c) = (volumes.shape[0], volumes.shape[1]);
        var grid = new long[3];
        for (var axis = 0; axis < 3; axis++)
        {
            var size = volumes.shape[axis + 2];
            if (size % tokenSize != 0)
            {
                throw new ArgumentException($"Volume size {size} on axis {axis + 2} is not a multiple of the token size {tokenSize}.", nameof(volumes));
            }

            grid[axis] = size / tokenSize;
        }

        using var split = volumes.reshape(n, c, grid[0], tokenSize, grid[1], tokenSize, grid[2], tokenSize);
        using var ordered = split.permute(0, 2, 4, 6, 3, 5, 7, 1);
        return ordered.reshape(n, grid[0] * grid[1] * grid[2], (long)tokenSize * tokenSize * tokenSize * c);
    }

    /// <summary>[N, G³, s³·C] → [N, C, G·s, G·s, G·s]; the exact inverse of <see cref="ToTokens"/> for cubic volumes.</summary>
    /// <param name="tokens">Per-token values in <see cref="ToTokens"/> order.</param>
    /// <param name="channels">Channels C of the volume.</param>
    /// <param name="gridSize">Tokens per axis G.</param>
    /// <param name="tokenSize">Voxels per token along each axis.</param>
    public static Tensor FromTokens(Tensor tokens, int channels, int gridSize, int tokenSize = 16)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gridSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokenSize);
        long g = gridSize, s = tokenSize;
        if (tokens.dim() != 3 || tokens.shape[1] != g * g * g || tokens.shape[2] != s * s * s * channels)
        {
            throw new ArgumentException(
                $"Expected tokens [N,{g * g * g},{s * s * s * channels}], got [{string.Join(",", tokens.shape)}].", nameof(tokens));
        }

        var n = tokens.shape[0];
        using var split = tokens.reshape(n, g, g, g, s, s, s, channels);
        using var ordered = split.permute(0, 7, 1, 4, 2, 5, 3, 6);
        return ordered.reshape(n, channels, g * s, g * s, g * s);
    }
}
